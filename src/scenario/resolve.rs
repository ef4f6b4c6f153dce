//! The second stage of input (after parsing and [`validate`](super::validate::validate)):
//! every name a scenario uses to refer to a site, a firm or an R&D programme, resolved
//! once to an index, so that the model looks references up by index and never searches
//! names by string.
//!
//! A validated scenario resolves every name; an index is still an `Option`, so that a
//! scenario built in code and never validated runs as it always did (an unknown name is
//! skipped, or a firm's unknown home site is site 0).

use super::schema::{EventKind, Scenario};

/// A scenario's references as indices into its own lists, each list in scenario order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    /// Each link's two sites (`None` when either is unknown).
    pub links: Vec<Option<(usize, usize)>>,
    /// Each named firm's sites.
    pub firms: Vec<FirmRefs>,
    /// Each group's sites with their weights, in the order of the group's site map
    /// (unknown sites left out).
    pub groups: Vec<Vec<(usize, f64)>>,
    /// Each pledge's firm and site.
    pub pledges: Vec<PledgeRefs>,
    /// Each R&D hub's site and programme.
    pub hubs: Vec<HubRefs>,
    /// The site or firm each event names.
    pub events: Vec<EventRefs>,
}

/// A named firm's sites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirmRefs {
    /// Its home site.
    pub site: Option<usize>,
    /// The site of each of its fabs.
    pub fab_sites: Vec<Option<usize>>,
    /// Its expansion sites (unknown ones left out).
    pub expansion_sites: Vec<usize>,
}

/// A pledge's firm (index into `firms`) and site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PledgeRefs {
    /// The firm that pledged.
    pub firm: Option<usize>,
    /// Where.
    pub site: Option<usize>,
}

/// An R&D hub's site and programme (index into `policy.rnd_programmes` in key order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubRefs {
    /// Its site.
    pub site: Option<usize>,
    /// The programme that funds it.
    pub programme: Option<usize>,
}

/// The site of a site disruption, the firm of a pledge delay (`None` for other events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventRefs {
    /// The site an event names.
    pub site: Option<usize>,
    /// The firm an event names.
    pub firm: Option<usize>,
}

impl Resolved {
    /// Resolves every reference of `s` (the first site or firm of a name, as
    /// [`Scenario::site_index`] and [`Scenario::firm_index`] find it).
    pub fn new(s: &Scenario) -> Self {
        let site = |n: &str| s.site_index(n);
        Self {
            links: s.links.iter().map(|l| site(&l.a).zip(site(&l.b))).collect(),
            firms: s
                .firms
                .iter()
                .map(|f| FirmRefs {
                    site: site(&f.site),
                    fab_sites: f.fabs.iter().map(|fab| site(&fab.site)).collect(),
                    expansion_sites: f.expansion_sites.iter().filter_map(|n| site(n)).collect(),
                })
                .collect(),
            groups: s
                .groups
                .iter()
                .map(|g| {
                    g.sites
                        .iter()
                        .filter_map(|(k, w)| site(k).map(|i| (i, *w)))
                        .collect()
                })
                .collect(),
            pledges: s
                .pledges
                .iter()
                .map(|pl| PledgeRefs {
                    firm: s.firm_index(&pl.firm),
                    site: site(&pl.site),
                })
                .collect(),
            hubs: s
                .rnd_hubs
                .iter()
                .map(|h| HubRefs {
                    site: site(&h.site),
                    programme: s
                        .policy
                        .rnd_programmes
                        .keys()
                        .position(|k| *k == h.programme),
                })
                .collect(),
            events: s
                .events
                .iter()
                .map(|e| match &e.kind {
                    EventKind::SiteDisruption { site: n, .. } => EventRefs {
                        site: site(n),
                        firm: None,
                    },
                    EventKind::PledgeDelay { firm, .. } => EventRefs {
                        site: None,
                        firm: s.firm_index(firm),
                    },
                    _ => EventRefs::default(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_a_shipped_scenario_resolves() {
        let s = crate::scenario::load_file(std::path::Path::new("scenarios/baseline.ron")).unwrap();
        let r = Resolved::new(&s);
        assert_eq!(r.pledges.len(), s.pledges.len());
        for (pl, x) in s.pledges.iter().zip(&r.pledges) {
            assert_eq!(s.firms[x.firm.unwrap()].name, pl.firm);
            assert_eq!(s.sites[x.site.unwrap()].name, pl.site);
        }
        for (f, x) in s.firms.iter().zip(&r.firms) {
            assert_eq!(s.sites[x.site.unwrap()].name, f.site);
            assert!(x.fab_sites.iter().all(Option::is_some));
            assert_eq!(x.expansion_sites.len(), f.expansion_sites.len());
        }
        assert!(r.links.iter().all(Option::is_some));
        assert!(
            r.hubs
                .iter()
                .all(|h| h.site.is_some() && h.programme.is_some())
        );
    }
}
