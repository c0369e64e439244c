//! Values of a fast bytes field (the records and summaries), read a dictionary block at a
//! time rather than through a memory map of the whole dictionary.
//!
//! tantivy opens a bytes column by reading all of it, its dictionary of values included, so
//! every value ever read stays in the server's resident memory through the map (the records
//! are tens of MB for ten thousand articles; an area page reads dozens). A [`Values`] keeps
//! tantivy's column for the documents' ordinals, but looks values up in its own copy of the
//! dictionary, opened on the column's file slice: that reads a block (a few kilobytes) per
//! lookup, through the directory's positioned reads (see [`super::directory`]).
//!
//! It relies on the column's layout: the dictionary, then the ordinals, then the
//! dictionary's length as a little-endian `u32`. The tests in `writer.rs` read every record
//! back through it, so a tantivy that changed the layout would fail them.

use anyhow::{Context, Result, anyhow};
use tantivy::columnar::{BytesColumn, ColumnType};
use tantivy::{DocId, SegmentReader};
use tantivy_sstable::{Dictionary, VoidSSTable};

/// One segment's values of a fast bytes field, one per document.
pub struct Values {
    /// tantivy's column, for each document's ordinal.
    ords: BytesColumn,
    /// The dictionary of values, read a block at a time.
    dictionary: Dictionary<VoidSSTable>,
}

impl Values {
    /// Opens the field `name` of `segment`.
    pub fn open(segment: &SegmentReader, name: &str) -> Result<Values> {
        let handle = segment
            .fast_fields()
            .dynamic_column_handle(name, ColumnType::Bytes)?
            .ok_or_else(|| anyhow!("the index has no {name} field"))?;
        let ords = Option::<BytesColumn>::from(handle.open()?)
            .ok_or_else(|| anyhow!("the {name} field is not a bytes column"))?;
        let (body, length) = handle.file_slice().clone().split_from_end(4);
        let length = length.read_bytes()?;
        let length: [u8; 4] =
            length.as_slice().try_into().map_err(|_| anyhow!("the {name} column is too short"))?;
        let (dictionary, _ords) = body.split(u32::from_le_bytes(length) as usize);
        let dictionary = Dictionary::open(dictionary)
            .with_context(|| format!("opening the dictionary of the {name} column"))?;
        if dictionary.num_terms() != ords.dictionary().num_terms() {
            return Err(anyhow!("the {name} column's dictionary is not where it was expected"));
        }
        Ok(Values { ords, dictionary })
    }

    /// The ordinal of `doc`'s value, if it has one.
    pub fn ord(&self, doc: DocId) -> Option<u64> {
        self.ords.term_ords(doc).next()
    }

    /// `doc`'s value, appended to `out` (cleared first); false when it has none.
    pub fn get(&self, doc: DocId, out: &mut Vec<u8>) -> Result<bool> {
        out.clear();
        match self.ord(doc) {
            Some(ord) => Ok(self.dictionary.ord_to_term(ord, out)?),
            None => Ok(false),
        }
    }

    /// Calls `each` with the value of every ordinal in `ords` (sorted, no repeats), in
    /// order; false when one is missing.
    pub fn each_sorted(&self, ords: &[u64], each: impl FnMut(&[u8])) -> Result<bool> {
        Ok(self.dictionary.sorted_ords_to_term_cb(ords, each)?)
    }
}
