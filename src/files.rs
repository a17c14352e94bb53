//! Reading and writing the files people make and keep: scenarios, replays, reports, batch
//! summaries. One way to read a file of bounded size as text, one way to write one durably.

use std::path::Path;

/// Reads a file of at most `limit` bytes as UTF-8 text, refusing what cannot be a `kind` (a
/// folder, a file too large, bytes that are not text) with the reason in words.
pub fn read_text(path: &Path, limit: u64, kind: &str) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a directory".to_owned());
    }
    let too_big = |size: &dyn std::fmt::Display| format!("it is {size} bytes, more than the {limit} a {kind} may have");
    if meta.len() > limit {
        return Err(too_big(&meta.len()));
    }
    // Read no further than the limit whatever the file says its size is: a pipe, standard
    // input or a device (`/dev/zero`) has no size to check beforehand.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_big(&format!("over {limit}")));
    }
    // A byte-order mark, as some editors on Windows write, is not part of the text.
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Why a report may not be written at `path`, if it may not: a report replaces an earlier report
/// of its kind (a file ending in one of `extensions`), never a scenario, a replay or any other
/// file people made, nor a device; a link is written through, to the file it points at.
pub fn report_target(path: &Path, extensions: &[&str]) -> Result<(), String> {
    let Ok(meta) = std::fs::metadata(path) else {
        // Nothing there yet (or a dangling link, which writing would replace): refused below
        // only if a link.
        return match std::fs::symlink_metadata(path) {
            Ok(_) => Err("it is a link to nothing".to_owned()),
            Err(_) => Ok(()),
        };
    };
    if !meta.is_file() {
        return Err("it is not an ordinary file (a folder, a device, a pipe)".to_owned());
    }
    let ours = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
    if ours {
        Ok(())
    } else {
        Err(format!(
            "a file is already there, and a report replaces only an earlier report ({}); choose another name",
            extensions
                .iter()
                .map(|e| format!("a .{e} file"))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    }
}

/// Writes a file so that it is either wholly written or not changed at all, and stays written:
/// the text goes to a temporary file beside it, which is synced to the disk and renamed over the
/// file, and the folder is synced so that the rename itself survives a crash or a power cut. On
/// any failure the temporary file is removed and the old file left as it was.
pub fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    // Through a link to the file it points at: the link stays a link (a replay kept elsewhere and
    // linked into a working folder gets the note, not a copy that replaces the link).
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "replay".into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // The rename is in the folder's own data: sync it too (where folders can be opened).
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The folder runs are saved in unless told otherwise: `$DEMARCHE_RUNS`, else
/// `~/.local/share/demarche/runs`, else `demarche-runs` in the working folder.
pub fn runs_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("DEMARCHE_RUNS") {
        return std::path::PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => Path::new(&home).join(".local/share/demarche/runs"),
        None => std::path::PathBuf::from("demarche-runs"),
    }
}

/// A name for a new run's replay in `dir` that no file has yet:
/// `SCENARIO-seedN-TIMESTAMP[SUFFIX][-K].replay.ron`.
pub fn fresh_run_file(dir: &Path, scenario: &str, seed: u64, suffix: &str) -> std::path::PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stem = format!("{scenario}-seed{seed}-{stamp}{suffix}");
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.replay.ron")),
            n => dir.join(format!("{stem}-{n}.replay.ron")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// The folder beside a hosted exercise's replay that keeps the host's keys and address
/// (`RUN.replay.ron.host`): its presence says the run was hosted for delegations at their own
/// desks, and is continued with `demarche host --resume`.
pub fn host_folder(replay: &Path) -> std::path::PathBuf {
    let mut name = replay.file_name().unwrap_or_default().to_os_string();
    name.push(".host");
    replay.with_file_name(name)
}
