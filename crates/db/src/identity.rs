//! Bảo vệ người tố cáo: the denouncer's identity is encrypted field by field with a key kept
//! outside the database (Luật Tố cáo 2018, Điều 9.1.b and Điều 56), so a copy of the database,
//! a backup or a stray query never reveals who denounced whom.

use crate::{DbError, DbResult};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::path::Path;

/// What everyone not entitled reads instead of the identity.
pub const REDACTED: &str = "[đã được bảo mật theo Luật Tố cáo]";
const PREFIX: &str = "enc:v1:";
pub const KEY_FILE: &str = "identity.key";
pub const KEY_ENV: &str = "DANVAN_IDENTITY_KEY";

/// The 256-bit key. Its `Debug` prints nothing, so it cannot reach a log by accident.
#[derive(Clone)]
pub struct IdentityKey([u8; 32]);

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityKey(…)")
    }
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

impl IdentityKey {
    /// A fresh random key (tests, and the first start).
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::fill(&mut k);
        IdentityKey(k)
    }

    pub fn from_hex(text: &str) -> DbResult<Self> {
        parse_hex(text).map(IdentityKey).ok_or_else(|| {
            DbError::invalid("Khóa bảo mật danh tính phải là 64 ký tự thập lục phân.")
        })
    }

    /// `DANVAN_IDENTITY_KEY` if set; otherwise `identity.key` in the data folder, created with
    /// mode 0600 on first start.
    pub fn load_or_create(data_dir: &Path) -> DbResult<Self> {
        if let Ok(text) = std::env::var(KEY_ENV) {
            return Self::from_hex(&text);
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                write_private(&path, &hex::encode(key.0))
                    .map_err(|e| DbError::Internal(format!("không ghi được khóa: {e}")))?;
                Ok(key)
            }
            Err(e) => Err(DbError::Internal(format!("không đọc được khóa: {e}"))),
        }
    }

    /// Encrypts one field; `field` is bound as associated data so values cannot be swapped.
    pub fn seal(&self, field: &str, plain: &str) -> DbResult<String> {
        let mut nonce = [0u8; 12];
        rand::fill(&mut nonce);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| DbError::Internal("mã hóa thất bại".into()))?;
        Ok(format!(
            "{PREFIX}{}{}",
            hex::encode(nonce),
            hex::encode(sealed)
        ))
    }

    /// Encrypts a file (a handwriting scan, say): nonce followed by the ciphertext.
    pub fn seal_bytes(&self, label: &str, plain: &[u8]) -> DbResult<Vec<u8>> {
        let mut nonce = [0u8; 12];
        rand::fill(&mut nonce);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| DbError::Internal("mã hóa thất bại".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open_bytes(&self, label: &str, stored: &[u8]) -> DbResult<Vec<u8>> {
        let broken = || DbError::Internal("không giải mã được tệp".into());
        if stored.len() < 12 {
            return Err(broken());
        }
        let (nonce, sealed) = stored.split_at(12);
        ChaCha20Poly1305::new(Key::from_slice(&self.0))
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| broken())
    }

    /// Decrypts a field sealed by [`IdentityKey::seal`].
    pub fn open(&self, field: &str, stored: &str) -> DbResult<String> {
        let broken = || DbError::Internal("không giải mã được dữ liệu danh tính".into());
        let body = stored.strip_prefix(PREFIX).ok_or_else(broken)?;
        let bytes = hex::decode(body).map_err(|_| broken())?;
        if bytes.len() < 12 {
            return Err(broken());
        }
        let (nonce, sealed) = bytes.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
