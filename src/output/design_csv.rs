//! `design.csv` of `sensitivity` and `sweep`: one row per design point, in the order the
//! points were evaluated, with the method's role of the point, every parameter value and
//! the outcome there, so that SALib, EMA Workbench or a spreadsheet can re-analyse the
//! design without knowing how the engine orders its points.

use crate::tune::ParamRange;
use crate::tune::design_csv::Roles;

/// `design.csv`: `point`, the role columns, one column per parameter (its path) with the
/// value the point ran at, the outcome columns (`names`, values `outcomes[point]`), and
/// the runs and seed of every point's ensemble (the same at every point: common random
/// numbers).
pub fn csv(
    roles: &Roles,
    params: &[ParamRange],
    points: &[Vec<f64>],
    names: &[String],
    outcomes: &[Vec<f64>],
    runs: usize,
    seed: u64,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(roles.columns.iter().cloned());
    header.extend(params.iter().map(|p| p.path.clone()));
    header.extend(names.iter().cloned());
    header.extend(["runs".to_string(), "seed".to_string()]);
    let _ = w.write_record(&header);
    for (i, values) in points.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(roles.rows.get(i).cloned().unwrap_or_default());
        row.extend(values.iter().map(f64::to_string));
        row.extend(
            outcomes
                .get(i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(f64::to_string),
        );
        row.extend([runs.to_string(), seed.to_string()]);
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_point_with_roles_values_and_outcomes() {
        let p = ParamRange::unit("a.b");
        let roles = Roles {
            columns: vec!["role".into()],
            rows: vec![vec!["A".into()], vec!["B".into()]],
        };
        let bytes = csv(
            &roles,
            &[p],
            &[vec![0.25], vec![0.75]],
            &["m@2030 mean".into()],
            &[vec![1.5], vec![0.12]],
            10,
            7,
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "point,role,a.b,m@2030 mean,runs,seed\n0,A,0.25,1.5,10,7\n1,B,0.75,0.12,10,7\n"
        );
    }
}
