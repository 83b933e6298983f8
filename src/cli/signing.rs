//! `tabletop keygen -o NAME`, and the `--sign KEY` and `--verify PUBKEY` flags that the
//! commands writing or reading a session share.
//!
//! A key file that is missing or of the wrong kind is a usage error (exit 2): the command
//! line named the wrong file. A session that does not verify is wrong input (exit 1).

use std::path::Path;

use super::Failure;
use crate::session::{LoadedSession, PublicKey, Signer, Verified, keygen as write_keys};

pub fn keygen(name: &Path) -> Result<(), Failure> {
    let pair = write_keys(name).map_err(|e| Failure::Usage(e.to_string()))?;
    eprintln!(
        "{}: private key (yours only: sign sessions with --sign {})",
        pair.private.display(),
        pair.private.display()
    );
    eprintln!(
        "{}: public key (hand it out: check sessions with --verify {})",
        pair.public.display(),
        pair.public.display()
    );
    println!("fingerprint {}", pair.fingerprint);
    Ok(())
}

/// The private key of `--sign`, if given.
pub fn signer(path: Option<&Path>) -> Result<Option<Signer>, Failure> {
    path.map(Signer::load)
        .transpose()
        .map_err(|e| Failure::Usage(e.to_string()))
}

/// The public key of `--verify`, if given.
pub fn public_key(path: Option<&Path>) -> Result<Option<PublicKey>, Failure> {
    path.map(PublicKey::load)
        .transpose()
        .map_err(|e| Failure::Usage(e.to_string()))
}

/// Checks a loaded session's signatures against `--verify`'s key, if given, and says how
/// far it verified; a session that does not verify is refused.
pub fn check(loaded: &LoadedSession, key: Option<&PublicKey>) -> Result<Option<Verified>, Failure> {
    let Some(key) = key else {
        return Ok(None);
    };
    let verified = loaded
        .verify(key)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    eprintln!("{}: {}", loaded.path.display(), verified.summary());
    Ok(Some(verified))
}
