//! Join codes: one short line of text per seat that gets a delegation's desk into the exercise,
//! and the host's keys that make and check them.
//!
//! A code carries the host's address, the exercise's id, the fingerprint of the host's TLS
//! certificate (the desk trusts that host and no other) and a secret bound to the seat. The
//! secret is a keyed BLAKE3 hash of the exercise id and the seat under the exercise's key, which
//! only the host knows: nobody can make a code for another seat or another exercise from one
//! they hold, and the host needs no list of the codes it handed out to check one.
//!
//! `demarche:1/EE/192.168.1.10:5757/3f6a0c19d2e4b871/<fingerprint>/<secret>`

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::fmt;
use std::path::{Path, PathBuf};

/// What every code starts with, with the code format's version.
const PREFIX: &str = "demarche:1/";

/// Bytes of a seat's secret (128 bits).
const SECRET_LEN: usize = 16;

/// A join code, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode {
    /// The seat as the command line names it: `hrvp`, `presidency`, `commission`, a Member State
    /// code (`EE`), or `observer-K`.
    pub seat: String,
    /// The host's address and port (`192.168.1.10:5757`, `[::1]:5757`, `host.example:5757`).
    pub host: String,
    /// The exercise's id, 16 hexadecimal digits.
    pub exercise: String,
    /// SHA-256 of the host's certificate (DER).
    pub fingerprint: [u8; 32],
    /// The seat's secret.
    pub secret: [u8; SECRET_LEN],
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PREFIX}{}/{}/{}/{}/{}",
            self.seat,
            self.host,
            self.exercise,
            URL_SAFE_NO_PAD.encode(self.fingerprint),
            URL_SAFE_NO_PAD.encode(self.secret)
        )
    }
}

impl JoinCode {
    /// Reads a code as typed, pasted or saved in a `.code` file (surrounding blanks ignored), or
    /// says what is wrong with it.
    pub fn parse(text: &str) -> Result<JoinCode, String> {
        let text = text.trim();
        let Some(rest) = text.strip_prefix(PREFIX) else {
            return Err(if text.starts_with("demarche:") {
                "this join code was made by another version of Démarche (it does not start with \"demarche:1/\")"
                    .to_owned()
            } else {
                "this is not a Démarche join code (one starts with \"demarche:1/\")".to_owned()
            });
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let [seat, host, exercise, fingerprint, secret] = parts[..] else {
            return Err(format!(
                "this join code has {} parts where it should have 5 (seat/host/exercise/fingerprint/secret): was it cut when copied?",
                parts.len()
            ));
        };
        let seat_ok = !seat.is_empty() && seat.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !seat_ok {
            return Err(format!("\"{seat}\" in this join code is not a seat"));
        }
        if host
            .rsplit_once(':')
            .is_none_or(|(name, port)| name.is_empty() || port.parse::<u16>().is_err())
        {
            return Err(format!("\"{host}\" in this join code is not a host and port"));
        }
        if exercise.len() != 16 || !exercise.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("\"{exercise}\" in this join code is not an exercise id"));
        }
        let bytes = |part: &str, what: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| format!("the {what} in this join code is damaged"))
        };
        let fingerprint = bytes(fingerprint, "certificate fingerprint")?
            .try_into()
            .map_err(|_| "the certificate fingerprint in this join code has the wrong length".to_owned())?;
        let secret = bytes(secret, "secret")?
            .try_into()
            .map_err(|_| "the secret in this join code has the wrong length".to_owned())?;
        Ok(JoinCode {
            seat: seat.to_owned(),
            host: host.to_owned(),
            exercise: exercise.to_ascii_lowercase(),
            fingerprint,
            secret,
        })
    }

    /// Reads a code given on the command line: its text, or the path of a `.code` file.
    pub fn from_argument(argument: &str) -> Result<JoinCode, String> {
        if argument.trim_start().starts_with("demarche:") {
            return JoinCode::parse(argument);
        }
        let path = Path::new(argument);
        if path.exists() {
            let text = crate::files::read_text(path, 4096, "join code")
                .map_err(|e| format!("cannot read the join code in {}: {e}", path.display()))?;
            return JoinCode::parse(&text).map_err(|e| format!("{}: {e}", path.display()));
        }
        Err(format!(
            "\"{argument}\" is neither a join code (demarche:1/...) nor a .code file that exists"
        ))
    }
}

/// What the host keeps beside the replay, never inside it: the exercise's id and key (which make
/// and check the codes) and its TLS certificate. With them a host restarted on the same replay
/// answers to the codes it handed out.
#[derive(Debug, Clone)]
pub struct HostKeys {
    /// The folder they are kept in.
    pub folder: PathBuf,
    /// The exercise's id, 16 hexadecimal digits.
    pub exercise: String,
    key: [u8; 32],
}

impl HostKeys {
    /// The folder of the host's keys for a replay: `RUN.replay.ron.host` beside it.
    pub fn folder_for(replay: &Path) -> PathBuf {
        crate::files::host_folder(replay)
    }

    /// The TLS certificate's file (PEM).
    pub fn certificate(&self) -> PathBuf {
        self.folder.join("certificate.pem")
    }

    /// The certificate's private key (PEM).
    pub fn private_key(&self) -> PathBuf {
        self.folder.join("private-key.pem")
    }

    fn key_file(folder: &Path) -> PathBuf {
        folder.join("exercise.key")
    }

    /// New keys for a new exercise, written into `folder` (readable by the owner only).
    pub fn create(folder: &Path) -> Result<HostKeys, String> {
        use ring::rand::SecureRandom;
        let random = ring::rand::SystemRandom::new();
        let mut id = [0u8; 8];
        let mut key = [0u8; 32];
        random
            .fill(&mut id)
            .and_then(|()| random.fill(&mut key))
            .map_err(|_| "the system's random number generator is not available".to_owned())?;
        let keys = HostKeys {
            folder: folder.to_owned(),
            exercise: hex(&id),
            key,
        };
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        // A certificate from an earlier exercise in the same place is not reused.
        for old in [keys.certificate(), keys.private_key()] {
            let _ = std::fs::remove_file(old);
        }
        let text = format!("exercise {}\nkey {}\n", keys.exercise, hex(&keys.key));
        write_private(&Self::key_file(folder), &text)?;
        Ok(keys)
    }

    /// The keys kept in `folder`, if they are there and whole.
    pub fn load(folder: &Path) -> Result<HostKeys, String> {
        let file = Self::key_file(folder);
        let text = crate::files::read_text(&file, 4096, "key file").map_err(|e| format!("{}: {e}", file.display()))?;
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name).map(str::trim))
                .ok_or_else(|| format!("{}: no \"{}\" line", file.display(), name.trim()))
        };
        let exercise = field("exercise ")?.to_owned();
        let key = unhex(field("key ")?)
            .and_then(|k| <[u8; 32]>::try_from(k).ok())
            .ok_or_else(|| format!("{}: the key is damaged", file.display()))?;
        if exercise.len() != 16 || unhex(&exercise).is_none() {
            return Err(format!("{}: the exercise id is damaged", file.display()));
        }
        Ok(HostKeys {
            folder: folder.to_owned(),
            exercise,
            key,
        })
    }

    /// Remembers where the codes say the host is (`ADDRESS PORT`), so that a host resumed on
    /// this exercise makes the same codes.
    pub fn remember_address(&self, address: &str, port: u16) {
        let _ = std::fs::write(self.folder.join("address"), format!("{address} {port}\n"));
    }

    /// The address and port the codes of this exercise name, if remembered.
    pub fn remembered_address(&self) -> Option<(String, u16)> {
        let text = std::fs::read_to_string(self.folder.join("address")).ok()?;
        let (address, port) = text.trim().rsplit_once(' ')?;
        Some((address.to_owned(), port.parse().ok()?))
    }

    /// The secret of a seat (`hrvp`, `EE`, `observer-2`).
    fn secret(&self, seat: &str) -> [u8; SECRET_LEN] {
        let mut hasher = blake3::Hasher::new_keyed(&self.key);
        hasher.update(b"demarche join code\0");
        hasher.update(self.exercise.as_bytes());
        hasher.update(b"\0");
        hasher.update(seat.as_bytes());
        let mut secret = [0u8; SECRET_LEN];
        secret.copy_from_slice(&hasher.finalize().as_bytes()[..SECRET_LEN]);
        secret
    }

    /// The code of a seat, for a host reachable at `host` with this certificate fingerprint.
    pub fn code(&self, seat: &str, host: &str, fingerprint: [u8; 32]) -> JoinCode {
        JoinCode {
            seat: seat.to_owned(),
            host: host.to_owned(),
            exercise: self.exercise.clone(),
            fingerprint,
            secret: self.secret(seat),
        }
    }

    /// Whether `secret` is the one of `seat` in this exercise (in constant time).
    pub fn admits(&self, exercise: &str, seat: &str, secret: &[u8]) -> bool {
        let expected = self.secret(seat);
        // blake3's `Hash` compares in constant time: comparing the hashes of the two secrets tells
        // a guesser nothing about how close a guess came.
        exercise == self.exercise && blake3::hash(&expected) == blake3::hash(secret)
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys in a fresh folder of their own, removed when the test ends.
    struct Scratch(PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn keys() -> (Scratch, HostKeys) {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("demarche-code-test-{}-{n}", std::process::id()));
        let keys = HostKeys::create(&dir.join("run.replay.ron.host")).unwrap();
        (Scratch(dir), keys)
    }

    #[test]
    fn a_code_reads_back_as_written_and_admits_its_seat_only() {
        let (_dir, keys) = keys();
        let code = keys.code("EE", "192.168.1.10:5757", [7; 32]);
        let text = code.to_string();
        assert!(text.len() < 140, "one short line: {text}");
        let read = JoinCode::parse(&format!("  {text}\n")).unwrap();
        assert_eq!(read, code);
        assert!(keys.admits(&read.exercise, "EE", &read.secret));
        assert!(
            !keys.admits(&read.exercise, "FR", &read.secret),
            "a code is bound to its seat"
        );
        let reloaded = HostKeys::load(&keys.folder).unwrap();
        assert!(
            reloaded.admits(&read.exercise, "EE", &read.secret),
            "a restarted host knows its codes"
        );
        let (_other_dir, other) = self::keys();
        assert!(
            !other.admits(&read.exercise, "EE", &read.secret),
            "another exercise's key refuses it"
        );
    }

    #[test]
    fn damaged_codes_say_what_is_wrong() {
        let (_dir, keys) = keys();
        let text = keys.code("hrvp", "[::1]:5757", [1; 32]).to_string();
        assert!(JoinCode::parse(&text).is_ok(), "an IPv6 host");
        let cut = &text[..text.len() - 30];
        assert!(JoinCode::parse(cut).unwrap_err().contains("secret"), "{cut}");
        assert!(
            JoinCode::parse("hello")
                .unwrap_err()
                .contains("not a Démarche join code")
        );
        assert!(JoinCode::parse("demarche:9/x").unwrap_err().contains("another version"));
        let no_port = text.replace("[::1]:5757", "somewhere");
        assert!(JoinCode::parse(&no_port).unwrap_err().contains("host and port"));
    }
}
