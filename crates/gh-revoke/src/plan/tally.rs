//! [`PlanTally`]: what a [`Plan`] would hold, counted without keeping any secret, for a dry
//! run.

use std::collections::HashSet;

use super::Plan;
use super::ledger::{Inserted, Store};
use crate::credential::{Fingerprint, Kind};

/// Recent keys are merged into the sorted ones once there are this many, or an eighth of
/// the sorted ones if that is more.
const MIN_RECENT: usize = 4096;

/// The first 16 bytes of a fingerprint.
fn key_of(fingerprint: &Fingerprint) -> u128 {
    let mut key = [0u8; 16];
    key.copy_from_slice(fingerprint.as_bytes().get(..16).unwrap_or(&[0; 16]));
    u128::from_be_bytes(key)
}

/// What a [`PlanTally`] keeps of each distinct credential: a 128-bit key, the first 16
/// bytes of its SHA-256 (see [`PlanTally`]). The distinct keys seen are `sorted` (merged)
/// and `recent` (not yet merged), disjoint.
#[derive(Default)]
pub struct CountOnly {
    sorted: Vec<u128>,
    recent: HashSet<u128>,
}

impl Store for CountOnly {
    const NAME: &'static str = "PlanTally";

    fn insert(
        &mut self,
        secret: &[u8],
        _: Option<Kind>,
        fingerprint: Option<Fingerprint>,
        _: &crate::input::Location,
    ) -> Inserted {
        let key = key_of(&fingerprint.unwrap_or_else(|| Fingerprint::of(secret)));
        if self.sorted.binary_search(&key).is_ok() || !self.recent.insert(key) {
            return Inserted::Duplicate;
        }
        if self.recent.len() >= MIN_RECENT.max(self.sorted.len() / 8) {
            self.merge();
        }
        Inserted::New
    }

    fn len(&self) -> usize {
        self.sorted.len() + self.recent.len()
    }
}

impl std::fmt::Debug for CountOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountOnly")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl CountOnly {
    #[cfg(test)]
    fn is_consistent(&self) -> bool {
        self.sorted.windows(2).all(|w| w[0] < w[1])
            && self
                .recent
                .iter()
                .all(|k| self.sorted.binary_search(k).is_err())
    }

    /// Moves the recent keys into `sorted`, merging from the back in place.
    fn merge(&mut self) {
        let mut fresh: Vec<u128> = self.recent.drain().collect();
        fresh.sort_unstable();
        let (mut i, mut j) = (self.sorted.len(), fresh.len());
        self.sorted.resize(i + j, 0);
        // Invariant: sorted[i + j..] holds the largest keys, in order; sorted[..i] and
        // fresh[..j] are what is left to place. The two inputs are disjoint.
        while let Some(&next) = fresh.get(j.wrapping_sub(1)) {
            let old = self.sorted.get(i.wrapping_sub(1)).copied();
            let (value, from_old) = match old {
                Some(old) if old > next => (old, true),
                _ => (next, false),
            };
            if let Some(slot) = self.sorted.get_mut(i + j - 1) {
                *slot = value;
            }
            if from_old {
                i -= 1;
            } else {
                j -= 1;
            }
        }
    }
}

/// The counts, skipped items and batch sizes a [`Plan`] with the same options would have
/// for the same input, without the secrets: what a dry run reports, in about 20 bytes per
/// distinct credential (see below).
///
/// ```
/// use gh_revoke::{InputMode, PlanOptions, PlanTally};
/// let input = "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\n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\nnope\n";
/// let mut tally = PlanTally::new(PlanOptions::default());
/// gh_revoke::feed(&mut tally, InputMode::Lines, input.as_bytes(), "-")?;
/// let counts = tally.counts();
/// assert_eq!((counts.read, counts.unique_valid, counts.duplicates, counts.invalid), (3, 1, 1, 1));
/// assert_eq!(tally.batch_sizes().collect::<Vec<_>>(), [1]);
/// # Ok::<(), gh_revoke::InputError>(())
/// ```
///
/// A dry run only reports the counts, the skipped items and the batch sizes, so it has no
/// use for the secrets themselves. A `PlanTally` classifies, counts and sets aside exactly
/// as a [`Plan`] does (they share one implementation), but remembers each distinct
/// credential only by a 128-bit key: the first 16 bytes of its SHA-256 [`Fingerprint`],
/// which is computed once per item and also serves the [`Plan::resuming`]
/// check. It cannot be sent: it has no secrets, so it has no [`Plan::batches`], and
/// [`RevokeClient::revoke`](crate::RevokeClient::revoke) takes a [`Plan`].
///
/// # Collisions
///
/// Two different credentials with the same key would be counted as one (a duplicate). Keys
/// are 128 bits of SHA-256, so by the birthday bound the chance that any two of `n` distinct
/// credentials collide is at most `n² / 2¹²⁹`: about 1.5 × 10⁻²¹ for a billion credentials.
/// Finding a colliding pair on purpose would take about 2⁶⁴ SHA-256 computations, and could
/// only make a dry run under-count.
///
/// # Memory
///
/// Keys live in one sorted `Vec<u128>` (binary-searched) plus a hash set of recent keys at
/// most an eighth of its size, merged into it when full: about 16 bytes per distinct
/// credential plus up to ~4 for the recent set, against about 56 for a [`Plan`].
/// `scripts/bench.sh` measures the whole CLI (see `BENCHMARKS.md`).
pub type PlanTally = Plan<CountOnly>;

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use proptest::prelude::*;

    use super::*;
    use crate::RevokeReport;
    use crate::credential::classify;
    use crate::fixtures::{classic as fixture, fine_grained, new_installation};
    use crate::input::{Found, Location};
    use crate::plan::{Plan, PlanOptions};

    fn found(text: &str, line: u64) -> Found {
        Found {
            location: Location {
                source: Arc::from("in"),
                line,
                column: 1,
                offset: 0,
                encoding: None,
            },
            item: classify(text.as_bytes()),
        }
    }

    /// Both, fed the same items with the same options and fingerprints to skip.
    fn both(options: PlanOptions, done: &[Fingerprint], texts: &[String]) -> (Plan, PlanTally) {
        let mut plan = Plan::resuming(options, done);
        let mut tally = PlanTally::resuming(options, done);
        let items = || {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| found(t, i as u64 + 1))
        };
        plan.extend(items());
        tally.extend(items());
        (plan, tally)
    }

    fn assert_same(plan: &Plan, tally: &PlanTally) {
        assert_eq!(tally.counts(), plan.counts());
        assert_eq!(tally.skipped(), plan.skipped());
        assert_eq!(tally.skipped_not_kept(), plan.skipped_not_kept());
        assert_eq!(tally.len(), plan.len());
        assert_eq!(tally.batch_count(), plan.batch_count());
        let sizes: Vec<usize> = plan.batches().map(|b| b.len()).collect();
        assert_eq!(tally.batch_sizes().collect::<Vec<_>>(), sizes);
        for batch in plan.batches() {
            assert_eq!(
                tally.batch_is_unverified(batch.index()),
                Some(batch.is_unverified())
            );
        }
        assert_eq!(tally.batch_is_unverified(plan.batch_count()), None);
    }

    #[test]
    fn many_distinct_keys_survive_merges() {
        // Enough for several merges of the recent keys into the sorted ones.
        let texts: Vec<String> = (0..30_000).map(|i| fixture(Kind::OAuth, i)).collect();
        let (plan, mut tally) = both(PlanOptions::default(), &[], &texts);
        assert_same(&plan, &tally);
        tally.extend(texts.iter().rev().map(|t| found(t, 0)));
        let counts = tally.counts();
        assert_eq!((counts.unique_valid, counts.duplicates), (30_000, 30_000));
        assert!(tally.store.is_consistent());
        assert_eq!(tally.batch_sizes().len(), 30);
        let empty = PlanTally::new(PlanOptions::default());
        assert!(empty.is_empty());
        assert_eq!(empty.batch_sizes().count(), 0);
        assert!(format!("{tally:?}").starts_with("PlanTally"));
    }

    #[test]
    fn the_report_of_a_tally_is_the_dry_run_report_of_the_plan() {
        let texts: Vec<String> = (0..2_500)
            .map(|i| match i % 7 {
                0 => "junk".to_owned(),
                1 => new_installation(i),
                _ => fixture(Kind::ClassicPat, i % 2_000),
            })
            .collect();
        let (plan, tally) = both(PlanOptions::new(300).unwrap(), &[], &texts);
        assert_eq!(
            RevokeReport::dry_run_at(&tally, just_before_a_second()),
            RevokeReport::planned_at(&plan, true, just_before_a_second())
        );
    }

    /// 2023-11-14T22:13:20.999999999Z: a report built at this instant and one built any
    /// time later read different seconds from a clock.
    fn just_before_a_second() -> SystemTime {
        UNIX_EPOCH + Duration::new(1_700_000_000, 999_999_999)
    }

    /// The two reports of one input, stamped with one instant, are equal. Each used to read
    /// the clock itself, so comparing them failed (rarely, under load) whenever a second
    /// boundary fell between the two readings: the reports then differed only in
    /// `started_at` and `finished_at`.
    #[test]
    fn reports_stamped_at_one_instant_agree_across_a_second_boundary() {
        let texts: Vec<String> = (0..40).map(|i| fixture(Kind::ClassicPat, i % 30)).collect();
        let (plan, tally) = both(PlanOptions::new(7).unwrap(), &[], &texts);
        let at = just_before_a_second();
        let dry = RevokeReport::dry_run_at(&tally, at);
        assert_eq!(
            (dry.started_at.as_str(), dry.finished_at.as_str()),
            ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z")
        );
        assert_eq!(RevokeReport::planned_at(&plan, true, at), dry);
        // What two clock readings a nanosecond apart gave: the same report, stamped apart.
        let next = RevokeReport::planned_at(&plan, true, at + Duration::from_nanos(1));
        assert_eq!(next.started_at, "2023-11-14T22:13:21Z");
        assert_ne!(next, dry);
    }

    fn pool(n: u64) -> Vec<String> {
        let kinds = [
            Kind::ClassicPat,
            Kind::OAuth,
            Kind::UserToServer,
            Kind::Refresh,
            Kind::Installation,
        ];
        let mut pool: Vec<String> = (0..n)
            .map(|i| match i % 6 {
                5 => fine_grained(i),
                k => fixture(kinds[k as usize], i),
            })
            .collect();
        pool.push(String::new());
        pool.push(new_installation(n));
        pool.push("not a token".to_owned());
        pool.push("hunter2".to_owned());
        pool.push("ghp_1234567890abcdef1234567890abcdef12345678".to_owned());
        pool.push("x".repeat(crate::credential::MAX_TOKEN_LEN + 1));
        pool
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A tally and a plan fed the same input agree on the counts, the skipped details
        /// and the batch sizes, whatever the options and fingerprints to skip.
        #[test]
        fn a_tally_counts_what_a_plan_holds(
            picks in proptest::collection::vec(0usize..70, 0..600),
            batch_size in prop_oneof![1usize..=8, 1usize..=crate::MAX_BATCH_SIZE],
            unverified in any::<bool>(),
            max_skipped_kept in prop_oneof![Just(crate::DEFAULT_MAX_SKIPPED_KEPT), 0usize..10],
            done_mask in any::<u64>(),
        ) {
            let pool = pool(64);
            let texts: Vec<String> = picks.iter().map(|&i| pool[i].clone()).collect();
            let done: Vec<Fingerprint> = pool
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 64 && done_mask & (1 << i) != 0)
                .map(|(_, t)| Fingerprint::of(t.as_bytes()))
                .collect();
            let options = PlanOptions::new(batch_size)
                .unwrap()
                .with_allow_unverified(unverified)
                .with_max_skipped_kept(max_skipped_kept);
            let (plan, tally) = both(options, &done, &texts);
            assert_same(&plan, &tally);
            prop_assert!(tally.counts().is_balanced());
            prop_assert_eq!(
                RevokeReport::dry_run_at(&tally, just_before_a_second()),
                RevokeReport::planned_at(&plan, true, just_before_a_second())
            );
        }
    }
}
