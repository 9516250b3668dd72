//! What a `no_std` cdylib must bring itself: an allocator and a panic handler. Only
//! the shipped module enables this (`--features wasm-runtime`); tests link `std`.
//!
//! The panic handler stops the module without formatting the message: no input can
//! reach a panic (the crates return errors), and formatting machinery would cost
//! more bytes than every message is worth. A trap surfaces in JavaScript as a
//! `RuntimeError`, which the face reports.

#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without threads: one thread uses the heap.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
