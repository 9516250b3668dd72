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

use core::alloc::Layout;
use core::ptr::null_mut;

/// A wasm page.
const PAGE: usize = 65536;
/// Memory is grown by at least this many pages (1 MiB) at a time.
const MIN_GROWTH_PAGES: usize = 16;

/// The allocator's state.
pub(crate) struct Heap {
    /// Free blocks of size `1 << class`, linked through their first word.
    free: [*mut u8; usize::BITS as usize],
    /// The unused rest of the last memory grown: `next..end`.
    next: usize,
    end: usize,
}

/// The block size class of `layout`: `1 << class` bytes, at least a pointer wide.
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(size_of::<*mut u8>());
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

impl Heap {
    pub(crate) const fn new() -> Heap {
        Heap {
            free: [null_mut(); usize::BITS as usize],
            next: 0,
            end: 0,
        }
    }

    /// A block for `layout`, or null when memory cannot grow. `grow(pages)` adds
    /// pages at the end of memory and returns the previous size in pages
    /// (`usize::MAX` on failure), as wasm's `memory.grow` does.
    ///
    /// # Safety
    /// `grow` must hand out memory no one else uses.
    pub(crate) unsafe fn alloc(
        &mut self,
        layout: Layout,
        grow: impl FnOnce(usize) -> usize,
    ) -> *mut u8 {
        let class = class(layout);
        let Some(size) = 1usize.checked_shl(class as u32) else {
            return null_mut();
        };
        // Blocks are carved aligned to their size up to 16 bytes, so a freed block
        // serves any request of its class with an alignment up to 16 (all of ours);
        // a larger alignment takes the first free block only if it happens to fit.
        let head = self.free[class];
        if !head.is_null() && head as usize & (layout.align() - 1) == 0 {
            self.free[class] = *(head as *mut *mut u8);
            return head;
        }
        let align = layout.align().max(size.min(16));
        let mut start = (self.next + align - 1) & !(align - 1);
        if start.checked_add(size).is_none_or(|e| e > self.end) {
            let pages = (size + align).div_ceil(PAGE).max(MIN_GROWTH_PAGES);
            let old = grow(pages);
            if old == usize::MAX {
                return null_mut();
            }
            let grown = old * PAGE;
            if grown != self.end {
                // Not contiguous with the rest (the first growth): start afresh.
                self.next = grown;
            }
            self.end = grown.wrapping_add(pages * PAGE);
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// Returns a block from [`Heap::alloc`] with the same `layout`.
    ///
    /// # Safety
    /// `ptr` came from `alloc(layout, …)` on this heap and is not used afterwards.
    pub(crate) unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let class = class(layout);
        *(ptr as *mut *mut u8) = self.free[class];
        self.free[class] = ptr;
    }

    /// Whether a block for `old` also holds `new` (same class: it is reused as is).
    pub(crate) fn fits(old: Layout, new: Layout) -> bool {
        class(old) == class(new)
    }
}

#[cfg(feature = "wasm-runtime")]
mod global {
    use super::Heap;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    struct SizeClassAllocator(UnsafeCell<Heap>);

    // SAFETY: wasm32-unknown-unknown without threads: one thread uses the heap.
    unsafe impl Sync for SizeClassAllocator {}

    fn grow(pages: usize) -> usize {
        core::arch::wasm32::memory_grow(0, pages)
    }

    unsafe impl GlobalAlloc for SizeClassAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout, grow)
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).dealloc(ptr, layout)
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let new = Layout::from_size_align_unchecked(new_size, layout.align());
            if Heap::fits(layout, new) {
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
    static ALLOCATOR: SizeClassAllocator = SizeClassAllocator(UnsafeCell::new(Heap::new()));

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        core::arch::wasm32::unreachable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// A fake linear memory: `pages` pages that `grow` hands out in order.
    struct Memory {
        buffer: Vec<u8>,
        base_page: usize,
        used: usize,
        pages: usize,
    }

    impl Memory {
        fn new(pages: usize) -> Memory {
            let buffer = std::vec![0u8; (pages + 1) * PAGE];
            let base_page = (buffer.as_ptr() as usize).div_ceil(PAGE);
            Memory {
                buffer,
                base_page,
                used: 0,
                pages,
            }
        }

        fn grow(&mut self, pages: usize) -> usize {
            if self.used + pages > self.pages {
                return usize::MAX;
            }
            self.used += pages;
            self.base_page + self.used - pages
        }

        fn contains(&self, p: *mut u8, len: usize) -> bool {
            let (start, p) = (self.base_page * PAGE, p as usize);
            p >= start
                && p + len <= start + self.used * PAGE
                && p + len <= self.buffer.as_ptr() as usize + self.buffer.len()
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let mut memory = Memory::new(256);
        let mut heap = Heap::new();
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut requested = 0;
        let mut seed = 12345u32;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for round in 0..20_000 {
            if live.len() > 200 || (!live.is_empty() && rand() % 3 == 0) {
                let (p, layout, fill) = live.swap_remove(rand() % live.len());
                // Nothing else wrote into this block while it was live.
                let bytes = unsafe { core::slice::from_raw_parts(p, layout.size()) };
                assert!(bytes.iter().all(|&b| b == fill), "block overwritten");
                unsafe { heap.dealloc(p, layout) };
                continue;
            }
            let size = [0, 1, 7, 8, 24, 100, 4096, 70_000][rand() % 8] + rand() % 9;
            // Rust's types on wasm32 need at most 16; 64 checks a larger one is honoured.
            let align = [1, 2, 4, 8, 16, 1, 2, 4, 8, 16, 1, 2, 4, 8, 16, 64][rand() % 16];
            let layout = Layout::from_size_align(size, align).unwrap();
            let p = unsafe { heap.alloc(layout, |n| memory.grow(n)) };
            assert!(!p.is_null(), "out of memory at round {round}");
            assert_eq!(p as usize % align, 0, "misaligned");
            assert!(memory.contains(p, size));
            let fill = (round % 251) as u8;
            unsafe { core::ptr::write_bytes(p, fill, size) };
            live.push((p, layout, fill));
            requested += size;
        }
        // Freed blocks are reused: far less memory than was requested in all.
        assert!(
            memory.used * PAGE < requested / 10,
            "{} pages for {requested} bytes",
            memory.used
        );
    }

    #[test]
    fn a_freed_block_serves_the_next_request_of_its_size() {
        let mut memory = Memory::new(128);
        let mut heap = Heap::new();
        let chunk = Layout::from_size_align(4 << 20, 1).unwrap();
        let first = unsafe { heap.alloc(chunk, |n| memory.grow(n)) };
        for _ in 0..50 {
            unsafe { heap.dealloc(first, chunk) };
            let again = unsafe { heap.alloc(chunk, |n| memory.grow(n)) };
            assert_eq!(again, first);
        }
        assert!(Heap::fits(
            Layout::from_size_align(20, 1).unwrap(),
            Layout::from_size_align(32, 1).unwrap()
        ));
        assert!(!Heap::fits(
            Layout::from_size_align(32, 1).unwrap(),
            Layout::from_size_align(33, 1).unwrap()
        ));
        let huge = Layout::from_size_align(usize::MAX / 2, 1).unwrap();
        assert!(unsafe { heap.alloc(huge, |n| memory.grow(n)) }.is_null());
    }
}
