//! Running the external readers (poppler's `pdftotext`/`pdftoppm`, `tesseract`): input on
//! stdin, output from stdout, bounded in time and output size. No temporary files.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// The Debian packages that provide the external tools.
pub const DEBIAN_PACKAGES: &str = "tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// Most output we take from a tool (a page of text or one page image).
const MAX_OUTPUT: u64 = 256 * 1024 * 1024;

/// Why a tool run gave no output.
#[derive(Debug)]
pub enum ToolError {
    /// The program is not installed.
    Missing(&'static str),
    /// It ran longer than its time limit and was killed.
    Timeout(&'static str, Duration),
    /// It failed: exit status and the first line of its stderr.
    Failed(&'static str, String),
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToolError::Missing(tool) => write!(
                f,
                "`{tool}` is not installed (on Debian: apt-get install {DEBIAN_PACKAGES})"
            ),
            ToolError::Timeout(tool, limit) => {
                write!(f, "`{tool}` took longer than {} s", limit.as_secs())
            }
            ToolError::Failed(tool, why) => write!(f, "`{tool}` failed: {why}"),
        }
    }
}

/// Run `program args…` with `stdin` as its standard input; its standard output, or why not.
/// `env` is added to the environment.
pub fn run(
    program: &'static str,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
    limit: Duration,
) -> Result<Vec<u8>, ToolError> {
    run_as(program, program.as_ref(), args, env, stdin, limit)
}

/// [`run`] of the executable at `path`, called `program` in errors.
pub fn run_as(
    program: &'static str,
    path: &std::ffi::OsStr,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
    limit: Duration,
) -> Result<Vec<u8>, ToolError> {
    let mut cmd = Command::new(path);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ToolError::Missing(program));
        }
        Err(e) => return Err(ToolError::Failed(program, e.to_string())),
    };
    // Feed stdin and drain stdout/stderr on their own threads, so no pipe can fill up and
    // block the child while we wait for it.
    let mut child_in = child.stdin.take();
    let mut child_out = child.stdout.take();
    let mut child_err = child.stderr.take();
    let (out, err, status) = std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(w) = child_in.as_mut() {
                // a tool that stops reading early (an error) closes the pipe: not our error
                let _ = w.write_all(stdin);
            }
            drop(child_in);
        });
        let out = s.spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = child_out.as_mut() {
                let _ = r.take(MAX_OUTPUT).read_to_end(&mut buf);
            }
            buf
        });
        let err = s.spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = child_err.as_mut() {
                let _ = r.take(64 * 1024).read_to_end(&mut buf);
            }
            buf
        });
        let status = match child.wait_timeout(limit) {
            Ok(Some(status)) => Ok(status),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(ToolError::Timeout(program, limit))
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(ToolError::Failed(program, e.to_string()))
            }
        };
        (
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
            status,
        )
    });
    let status = status?;
    if !status.success() {
        let why = String::from_utf8_lossy(&err);
        let first = why.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(ToolError::Failed(
            program,
            format!(
                "{status}{}{first}",
                if first.is_empty() { "" } else { ": " }
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_program_names_the_debian_packages() {
        let err = run(
            "gongwen-no-such-tool",
            &[],
            &[],
            b"",
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(err.to_string().contains("tesseract-ocr-chi-sim"), "{err}");
    }

    #[test]
    fn stdin_reaches_the_program_and_stdout_comes_back() {
        let out = run("cat", &[], &[], b"abc", Duration::from_secs(5)).unwrap();
        assert_eq!(out, b"abc");
    }

    #[test]
    fn a_slow_program_is_killed() {
        let err = run("sleep", &["5"], &[], b"", Duration::from_millis(200)).unwrap_err();
        assert!(matches!(err, ToolError::Timeout(..)), "{err}");
    }
}
