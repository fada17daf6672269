//! [`KillList`]: what the kill calls need from the input, kept while the input is read.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use crate::credential::{Classified, Credential, Fingerprint, Kind};
use crate::input::{Found, Location};

/// An installation token (`ghs_`) kept for [`crate::InstallationClient`], with where it was
/// first found. `Debug` shows it redacted.
#[derive(Debug, Clone)]
pub struct InstallationToken {
    credential: Credential,
    location: Location,
}

impl InstallationToken {
    /// The token (the secret is zeroed when it is dropped).
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// Where it was first found.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// Keeps, while an input is read, what the calls that use a leaked credential on itself need
/// and a [`crate::Plan`] does not keep:
/// - with [`KillList::keep_installation_tokens`], every distinct installation token (`ghs_`,
///   legacy and `ghs_APPID_JWT`), in first-seen order, with its first location: the plan
///   sets them aside as unsupported and keeps only their redacted form;
/// - with [`KillList::keep_locations`], the first location of every other well-formed
///   credential, by fingerprint, so that a [`crate::VerifyReport`] can say where a live one
///   was found (a plan keeps secrets, not locations).
///
/// Feed it beside the plan with [`KillList::tee`]:
///
/// ```
/// use gh_revoke::{InputMode, KillList, Plan, PlanOptions};
/// let mut plan: Plan = Plan::new(PlanOptions::default());
/// let mut kill = KillList::new().keep_installation_tokens(true);
/// let input = gh_revoke::fixtures::new_installation(1);
/// gh_revoke::feed(&mut kill.tee(&mut plan), InputMode::Lines, input.as_bytes(), "-")?;
/// assert_eq!(kill.installation_tokens().len(), 1);
/// assert_eq!(plan.counts().unsupported, 1);
/// # Ok::<(), gh_revoke::InputError>(())
/// ```
#[derive(Debug, Default)]
pub struct KillList {
    keep_installation: bool,
    keep_locations: bool,
    installation: Vec<InstallationToken>,
    seen: HashSet<Fingerprint>,
    done: HashSet<Fingerprint>,
    installation_already_done: u64,
    locations: HashMap<Fingerprint, Location>,
}

impl KillList {
    /// A list that keeps nothing until told to.
    pub fn new() -> Self {
        Self::default()
    }

    /// A list that resumes an earlier run: installation tokens whose fingerprint is in `done`
    /// (e.g. a journal's [`crate::Journal::done`]) are counted in
    /// [`KillList::installation_already_done`] and not kept. Like
    /// [`Plan::resuming`](crate::Plan::resuming), the done set is taken at construction, so
    /// no item can be looked at before it is known.
    ///
    /// ```
    /// use gh_revoke::{Fingerprint, InputMode, KillList, PlanOptions, PlanTally};
    /// let token = gh_revoke::fixtures::new_installation(1);
    /// let done = [Fingerprint::of(token.as_bytes())];
    /// let mut kill = KillList::resuming(&done).keep_installation_tokens(true);
    /// let mut tally = PlanTally::new(PlanOptions::default());
    /// gh_revoke::feed(&mut kill.tee(&mut tally), InputMode::Lines, token.as_bytes(), "-")?;
    /// assert!(kill.installation_tokens().is_empty());
    /// assert_eq!(kill.installation_already_done(), 1);
    /// # Ok::<(), gh_revoke::InputError>(())
    /// ```
    pub fn resuming<I>(done: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<Fingerprint>,
    {
        Self {
            done: done.into_iter().map(|fp| *fp.borrow()).collect(),
            ..Self::default()
        }
    }

    /// Keep installation tokens (for `--revoke-installation-tokens`).
    pub fn keep_installation_tokens(mut self, keep: bool) -> Self {
        self.keep_installation = keep;
        self
    }

    /// Keep the first location of every other credential (for `--verify`).
    pub fn keep_locations(mut self, keep: bool) -> Self {
        self.keep_locations = keep;
        self
    }

    /// Look at one item (without taking it).
    pub fn observe(&mut self, found: &Found) {
        let (Classified::Valid(credential) | Classified::Unsupported { credential, .. }) =
            &found.item
        else {
            return;
        };
        if credential.kind() == Kind::Installation {
            if !self.keep_installation {
                return;
            }
            let fingerprint = credential.fingerprint();
            if self.done.contains(&fingerprint) {
                self.installation_already_done += 1;
            } else if self.seen.insert(fingerprint) {
                self.installation.push(InstallationToken {
                    credential: credential.clone(),
                    location: found.location.clone(),
                });
            }
        } else if self.keep_locations {
            self.locations
                .entry(credential.fingerprint())
                .or_insert_with(|| found.location.clone());
        }
    }

    /// A sink that shows every item to this list, then hands it to `sink` (a plan or a
    /// tally): pass it to [`crate::feed`].
    pub fn tee<'a, S: Extend<Found>>(&'a mut self, sink: &'a mut S) -> Tee<'a, S> {
        Tee { kill: self, sink }
    }

    /// The distinct installation tokens kept, in first-seen order.
    pub fn installation_tokens(&self) -> &[InstallationToken] {
        &self.installation
    }

    /// Occurrences of installation tokens skipped because an earlier run revoked them.
    pub fn installation_already_done(&self) -> u64 {
        self.installation_already_done
    }

    /// Where the credential with `fingerprint` was first found, if locations were kept.
    pub fn location_of(&self, fingerprint: &Fingerprint) -> Option<&Location> {
        self.locations.get(fingerprint)
    }
}

/// [`KillList::tee`]: feeds a [`KillList`] and another sink at once.
#[derive(Debug)]
pub struct Tee<'a, S> {
    kill: &'a mut KillList,
    sink: &'a mut S,
}

impl<S: Extend<Found>> Extend<Found> for Tee<'_, S> {
    fn extend<I: IntoIterator<Item = Found>>(&mut self, iter: I) {
        for found in iter {
            self.kill.observe(&found);
            self.sink.extend(Some(found));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::{InputMode, PlanOptions, PlanTally};

    #[test]
    fn keeps_distinct_installation_tokens_and_locations() {
        let legacy = fixtures::classic(Kind::Installation, 3);
        let new = fixtures::new_installation(4);
        let pat = fixtures::classic(Kind::ClassicPat, 5);
        let input = format!("{legacy}\n{pat}\n{new}\n{legacy}\n");
        let mut tally = PlanTally::new(PlanOptions::default());
        let mut kill = KillList::resuming([Fingerprint::of(new.as_bytes())])
            .keep_installation_tokens(true)
            .keep_locations(true);
        crate::feed(
            &mut kill.tee(&mut tally),
            InputMode::Lines,
            input.as_bytes(),
            "in",
        )
        .unwrap();
        let kept: Vec<&str> = kill
            .installation_tokens()
            .iter()
            .map(|t| t.credential().expose_secret())
            .collect();
        assert_eq!(kept, [legacy.as_str()]);
        assert_eq!(
            kill.installation_tokens()[0].location().to_string(),
            "in:1:1"
        );
        assert_eq!(kill.installation_already_done(), 1);
        assert_eq!(
            kill.location_of(&Fingerprint::of(pat.as_bytes()))
                .map(ToString::to_string)
                .as_deref(),
            Some("in:2:1")
        );
        // The tally saw everything.
        assert_eq!(tally.counts().read, 4);
        assert!(!format!("{kill:?}").contains(&legacy[8..]));
    }

    #[test]
    fn keeps_nothing_unless_asked() {
        let mut kill = KillList::new();
        let mut tally = PlanTally::new(PlanOptions::default());
        let input = fixtures::classic(Kind::Installation, 3);
        crate::feed(
            &mut kill.tee(&mut tally),
            InputMode::Lines,
            input.as_bytes(),
            "in",
        )
        .unwrap();
        assert!(kill.installation_tokens().is_empty());
    }
}
