//! The SIMD prefilter: where a credential may start.

/// A SIMD "packed pair" prefilter: reports every position where two chosen bytes of a
/// needle stand at their offsets (a superset of the needle's occurrences). Two bytes
/// chosen to be rare in text (`h?_`, `b_`) make far fewer false candidates than the
/// literal `gh`, which English words ("through", "high") and URLs ("github.com") are full of.
#[derive(Debug, Clone)]
pub(super) struct PairFinder {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::packedpair::Finder>,
    portable: Option<memchr::arch::all::packedpair::Finder>,
    /// A literal every candidate starts with, searched for if no pair finder could be
    /// built (which cannot happen with the constant needles used here).
    fallback: memchr::memmem::Finder<'static>,
}

impl PairFinder {
    /// A prefilter for `needle` checking the bytes at `index1` and `index2`.
    pub(super) fn new(
        needle: &'static [u8],
        index1: u8,
        index2: u8,
        fallback: &'static [u8],
    ) -> Self {
        let pair = memchr::arch::all::packedpair::Pair::with_indices(needle, index1, index2);
        PairFinder {
            #[cfg(target_arch = "x86_64")]
            avx2: pair.and_then(|pair| {
                memchr::arch::x86_64::avx2::packedpair::Finder::with_pair(needle, pair)
            }),
            portable: pair
                .and_then(|pair| memchr::arch::all::packedpair::Finder::with_pair(needle, pair)),
            fallback: memchr::memmem::Finder::new(fallback),
        }
    }

    /// The first candidate start in `haystack`.
    #[inline]
    pub(super) fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2
            && haystack.len() >= avx2.min_haystack_len()
        {
            return avx2.find_prefilter(haystack);
        }
        match &self.portable {
            Some(portable) => portable.find_prefilter(haystack),
            None => self.fallback.find(haystack),
        }
    }
}

/// The next match of one finder at or after a position, cached for one window.
pub(super) struct NextMatch<'f> {
    finder: &'f PairFinder,
    /// `None`: not searched yet; `Some(None)`: no match left in the window.
    cached: Option<Option<usize>>,
}

impl<'f> NextMatch<'f> {
    pub(super) fn new(finder: &'f PairFinder) -> Self {
        NextMatch {
            finder,
            cached: None,
        }
    }

    #[inline]
    pub(super) fn at_or_after(&mut self, window: &[u8], pos: usize) -> Option<usize> {
        match self.cached {
            Some(Some(p)) if p >= pos => return Some(p),
            Some(None) => return None,
            _ => {}
        }
        let next = self
            .finder
            .find(window.get(pos..).unwrap_or_default())
            .map(|i| pos + i);
        self.cached = Some(next);
        next
    }
}

/// The earlier of two candidate starts from two finders.
#[inline]
pub(super) fn earliest(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    a.into_iter().chain(b).min()
}
