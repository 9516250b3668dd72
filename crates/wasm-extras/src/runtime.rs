//! The allocator and panic handler of the shipped module (the panic handler as in
//! the core module's `runtime.rs`: a trap, no formatting).
//!
//! The allocator keeps one free list per power-of-two block size and carves new
//! blocks from memory it grows: every call is O(1), in a few hundred bytes of wasm.
//! A first-fit free list (lol_alloc's) is as small but walks its list on every
//! allocation, which made planning a 20 000-file context take minutes; dlmalloc is
//! as fast but five times the size. Blocks are never split or merged, so a block
//! size, once freed, serves that size again: the 4 MiB chunks `Sha256.update`
//! receives reuse one block, and the many small strings of planning reuse theirs.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65536;

struct Heap {
    /// Free blocks of size `1 << class`, linked through their first word.
    free: [*mut u8; 32],
    /// The unused rest of the last memory grown: `next..end`.
    next: usize,
    end: usize,
}

struct SizeClassAllocator(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without threads: one thread uses the heap.
unsafe impl Sync for SizeClassAllocator {}

/// The block size class of `layout`: `1 << class` bytes, at least a pointer wide.
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

/// Memory is grown by at least this many pages (1 MiB) at a time.
const MIN_GROWTH_PAGES: usize = 16;

unsafe impl GlobalAlloc for SizeClassAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = &mut *self.0.get();
        let class = class(layout);
        let size = 1usize << class;
        // Blocks are carved aligned to their size up to 16 bytes, so a freed block
        // serves any request of its class with an alignment up to 16 (all of ours).
        let align = layout.align().max(size.min(16));
        if align <= 16 {
            let head = heap.free[class];
            if !head.is_null() {
                heap.free[class] = *(head as *mut *mut u8);
                return head;
            }
        }
        let mut start = (heap.next + align - 1) & !(align - 1);
        if start.checked_add(size).is_none_or(|e| e > heap.end) {
            let pages = (size + align).div_ceil(PAGE).max(MIN_GROWTH_PAGES);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return null_mut();
            }
            let grown = old * PAGE;
            if grown != heap.end {
                // Not contiguous with the rest (the first growth): start afresh.
                heap.next = grown;
            }
            heap.end = grown.wrapping_add(pages * PAGE);
            start = (heap.next + align - 1) & !(align - 1);
        }
        heap.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let heap = &mut *self.0.get();
        let class = class(layout);
        *(ptr as *mut *mut u8) = heap.free[class];
        heap.free[class] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(new) == class(layout) {
            return ptr;
        }
        let out = self.alloc(new);
        if !out.is_null() {
            core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        out
    }
}

#[global_allocator]
static ALLOCATOR: SizeClassAllocator = SizeClassAllocator(UnsafeCell::new(Heap {
    free: [null_mut(); 32],
    next: 0,
    end: 0,
}));

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
