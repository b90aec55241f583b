//! A PDF's compressed streams, inflated within [`Limits::unzipped_bytes`].
//!
//! Input: the file's bytes, or one stream lopdf parsed. Output: whether every
//! `FlateDecode` stream of the file inflates within the limit, all together (measured on
//! the raw bytes before lopdf inflates any, as a workbook's zip is measured before
//! calamine opens it); a stream's content, inflated within the limit.
//! Invariants: nothing is inflated past the limit; a stream that cannot be inflated reads
//! as nothing rather than failing the file (lopdf leaves damaged streams as they are).

use std::io::Read;

use flate2::read::ZlibDecoder;
use lopdf::Stream;

use crate::limits::{Inflated, LimitError, Limits};

/// Refuses a file whose `FlateDecode` streams inflate to more than
/// [`Limits::unzipped_bytes`], all together: every `stream` keyword's data is inflated
/// into nothing and counted, as far as it inflates.
pub(super) fn check_size(name: &str, bytes: &[u8], limits: &Limits) -> Result<(), LimitError> {
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let pos = at + found;
        at = pos + b"stream".len();
        // `endstream` contains `stream`: not a start.
        if pos >= 3 && bytes.get(pos - 3..pos) == Some(b"end") {
            continue;
        }
        let mut start = at;
        match bytes.get(start..start + 2) {
            Some(b"\r\n") => start += 2,
            Some([b'\n' | b'\r', _]) => start += 1,
            _ => continue,
        }
        let mut z = ZlibDecoder::new(&bytes[start..]);
        loop {
            match z.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total = total.saturating_add(n as u64);
                    limits.check_unzipped_bytes(name, total, Inflated::Streams)?;
                }
            }
        }
        // The compressed data ends where the decoder stopped reading.
        let used = usize::try_from(z.total_in()).unwrap_or(usize::MAX);
        at = at.max(start.saturating_add(used).min(bytes.len()));
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A stream's content: as stored, or inflated (`FlateDecode`) within the limit; `None`
/// for another filter or data that does not inflate.
pub(super) fn content(stream: &Stream, limits: &Limits) -> Option<Vec<u8>> {
    let filters = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [] => Some(stream.content.clone()),
        [b"FlateDecode" | b"Fl"] => {
            let cap = u64::try_from(limits.unzipped_bytes).unwrap_or(u64::MAX);
            let mut out = Vec::new();
            let read = ZlibDecoder::new(stream.content.as_slice())
                .take(cap)
                .read_to_end(&mut out);
            // Data cut short still holds what inflated before the damage.
            (read.is_ok() || !out.is_empty()).then_some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn streams_are_measured_together() {
        let one = deflate(&vec![b'a'; 600 * 1024]);
        let mut pdf = b"%PDF-1.4\n1 0 obj <</Length 9>> stream\n".to_vec();
        pdf.extend(&one);
        pdf.extend(b"\nendstream endobj 2 0 obj <<>> stream\r\n");
        pdf.extend(&one);
        pdf.extend(b"\nendstream endobj");
        let limits = |text: &str| text.parse::<Limits>().unwrap();
        assert!(check_size("x.pdf", &pdf, &limits("unzipped_bytes=2MB")).is_ok());
        let err = check_size("x.pdf", &pdf, &limits("unzipped_bytes=1MB")).unwrap_err();
        assert!(err.to_string().contains("x.pdf"), "{err}");
        // Not zlib data, a keyword at the very end: nothing counted, no panic.
        assert!(check_size("x.pdf", b"stream\nxyz endstream stream", &limits("")).is_ok());
    }
}
