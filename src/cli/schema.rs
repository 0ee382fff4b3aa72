//! `gongwen schema`

use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    let schema = schemars::schema_for!(gongwen::spec::Output);
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(ExitCode::SUCCESS)
}
