//! What the Word (.docx) and Excel (.xlsx) readers share: opening the zip package, reading one
//! part with a cap on its decompressed size, and streaming a part's XML.
//!
//! Every part is read with a cap so that a zip bomb is an error, not an out-of-memory crash, and
//! malformed XML is an error with its byte position.

use std::io::{Cursor, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;
use zip::result::ZipError;

/// The largest decompressed size accepted for any one part of a package.
pub const MAX_PART_BYTES: u64 = 50 * 1024 * 1024;

/// The compound-file signature of legacy .doc/.xls files and of password-protected OOXML files.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Why the bytes are not a readable zip package; each reader words it for its own file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenError {
    Empty,
    LegacyOrEncrypted,
    NotZip,
    Truncated,
}

/// Opens the package, telling an empty file, a legacy or encrypted Office file, something that
/// is not a zip at all and a truncated zip apart.
pub(crate) fn open(bytes: &[u8]) -> Result<ZipArchive<Cursor<&[u8]>>, OpenError> {
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(OpenError::LegacyOrEncrypted);
    }
    ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        if bytes.starts_with(b"PK") {
            OpenError::Truncated
        } else {
            OpenError::NotZip
        }
    })
}

/// Why one part could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartError {
    /// Larger than [`MAX_PART_BYTES`] once decompressed.
    TooLarge,
    /// Present but not decompressible.
    Unreadable,
}

/// The decompressed bytes of `name`, `None` when the package has no such part.
pub(crate) fn read_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, PartError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(PartError::Unreadable),
    };
    // The declared size can lie, so the read itself is capped as well.
    if file.size() > MAX_PART_BYTES {
        return Err(PartError::TooLarge);
    }
    let mut out = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| PartError::Unreadable)?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(PartError::TooLarge);
    }
    Ok(Some(out))
}

/// What the readers need from the XML: elements by local name, and text with references resolved.
pub(crate) enum Xml<'a> {
    Open(&'a BytesStart<'a>),
    Close(&'a str),
    Text(&'a str),
}

/// Streams `xml` to `f`; on malformed input, including elements still open at the end, fails
/// with the byte position.
pub(crate) fn walk(xml: &[u8], mut f: impl FnMut(Xml<'_>)) -> Result<(), u64> {
    let mut reader = Reader::from_reader(xml);
    let mut depth: usize = 0;
    loop {
        let event = reader.read_event().map_err(|_| reader.error_position())?;
        match event {
            Event::Start(e) => {
                depth += 1;
                f(Xml::Open(&e));
            }
            Event::Empty(e) => {
                f(Xml::Open(&e));
                f(Xml::Close(e.local_name().as_ref()));
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                f(Xml::Close(e.local_name().as_ref()));
            }
            Event::Text(t) => f(Xml::Text(&t.xml10_content())),
            Event::CData(t) => f(Xml::Text(&t.xml10_content())),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => return Err(reader.buffer_position()),
                    },
                    Err(_) => return Err(reader.buffer_position()),
                };
                f(Xml::Text(resolved.encode_utf8(&mut [0; 4])));
            }
            Event::Eof => {
                return if depth == 0 {
                    Ok(())
                } else {
                    Err(reader.buffer_position())
                };
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
    }
}

/// The element's local name (`w:p` → `p`).
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// The value of the attribute with local name `name` (`w:val`, `xml:space`, `r:id`…).
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}
