//! `megacluster params FILE`: every tunable numeric parameter with its path, value, unit
//! and meaning.

use crate::error::RunError;
use crate::scenario::paths;
use std::path::PathBuf;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    Table,
    /// CSV: path,value,unit,description.
    Csv,
}

/// Arguments of `params`.
#[derive(Debug, clap::Args)]
pub struct ParamsArgs {
    /// Scenario file (RON).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Apply overrides first: PATH=VALUE (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Only paths containing this text (case-insensitive).
    #[arg(long)]
    pub filter: Option<String>,
    /// Only uncertain parameters (distributions drawn once per run).
    #[arg(long)]
    pub uncertain: bool,
}

/// The listing as text.
pub fn render(args: &ParamsArgs) -> Result<String, RunError> {
    let (s, _, _) = paths::load_with_overrides(&args.file, &args.set)?;
    let f = args.filter.as_deref().map(str::to_lowercase);
    let list: Vec<paths::ParamInfo> = paths::list(&s)
        .into_iter()
        .filter(|p| f.as_ref().is_none_or(|f| p.path.to_lowercase().contains(f)))
        .filter(|p| !args.uncertain || p.uncertain)
        .collect();
    Ok(match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(["path", "value", "unit", "description"]);
            for p in &list {
                let _ = w.write_record([p.path.as_str(), &p.value, p.unit, p.description]);
            }
            String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
        }
        Format::Table => {
            let wp = list
                .iter()
                .map(|p| p.path.chars().count())
                .max()
                .unwrap_or(4);
            let wv = list
                .iter()
                .map(|p| p.value.chars().count())
                .max()
                .unwrap_or(5)
                .min(28);
            let wu = list
                .iter()
                .map(|p| p.unit.chars().count())
                .max()
                .unwrap_or(4);
            let mut out = format!(
                "{:<wp$}  {:<wv$}  {:<wu$}  description\n",
                "path", "value", "unit"
            );
            for p in &list {
                out.push_str(&format!(
                    "{:<wp$}  {:<wv$}  {:<wu$}  {}\n",
                    p.path, p.value, p.unit, p.description
                ));
            }
            if list.is_empty() {
                out.push_str(&match &args.filter {
                    Some(f) => format!(
                        "(no parameter path contains `{f}`{}; without --filter every path is listed)\n",
                        if args.uncertain { " and is uncertain" } else { "" }
                    ),
                    None => "(no uncertain parameter: every value is fixed)\n".into(),
                });
            }
            out
        }
    })
}

/// Runs the command.
pub fn run(args: &ParamsArgs) -> Result<(), RunError> {
    use std::io::Write;
    // A closed pipe (e.g. `| head`) is not an error.
    let _ = std::io::stdout().write_all(render(args)?.as_bytes());
    Ok(())
}
