//! Model parameters (`model.<group>.<field>`), listed from each group's field table.

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::params::*;
use crate::scenario::schema::Scenario;

/// `model.<group>.<field>` for every field a group sets.
pub(super) fn visit(v: &mut Visitor<'_>, s: &mut Scenario) {
    macro_rules! model_group {
        ($name:literal, $field:ident, $ty:ty) => {
            v.within("model", |v| {
                v.within($name, |v| {
                    v.context(concat!("model.", $name, ": ").into());
                    for (k, &(field, unit, desc)) in <$ty>::FIELDS.iter().enumerate() {
                        let range = <$ty>::RANGES[k];
                        if let Some(d) = s.model.$field.get_mut(field) {
                            v.at(field, S::Dist(d), unit, desc, range.0, range.1);
                        }
                    }
                })
            });
        };
    }
    model_group!("market", market, MarketParams);
    model_group!("investment", investment, InvestmentParams);
    model_group!("construction", construction, ConstructionParams);
    model_group!("production", production, ProductionParams);
    model_group!("fabless", fabless, FablessParams);
    model_group!("mpe", mpe, MpeParams);
    model_group!("rnd", rnd, RndParams);
    model_group!("talent", talent, TalentParams);
    model_group!("entry", entry, EntryParams);
    model_group!("infra", infra, InfraParams);
    model_group!("public", public, PublicParams);
}
