//! Facet counting: how many of a search's matches have each value of each filter field.
//!
//! A generation's facet values are read once, when it is opened, into a [`FacetTable`] laid
//! out for counting. Every field's value names are listed once for the whole generation
//! (each segment's dictionary merged, in name order), and documents refer to them by number,
//! in one of two layouts:
//! - a field with few values (outcome, framework, region, year, themes: at most
//!   [`BITSET_MAX_VALUES`]) keeps one bitset of documents per value. A search marks its
//!   matches in a bitset, and a value's count is the population count of the two ANDed,
//!   over the words the matches span: a few thousand word operations however many match;
//! - a field with many values (area, source) keeps each document's value as a `u16` slot
//!   into one shared count table, the document's slots side by side in a row, and each
//!   match adds one to each slot of its row. A document with several values in such a field
//!   (a round-up, about several areas) has its first in the row and the others in a short
//!   list beside the rows (`Extra`); a segment without such documents has an empty list
//!   and pays one branch per match for it.
//!
//! Counting thousands of matches is then one bit and a short row per document, not a walk
//! of tantivy's compressed columns. Segments' counts add up value by value, and names are
//! attached once, to the values that were found.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::search::FACETS;

/// The most values a field may have to be counted with bitsets. A search's cost is about
/// this many bitsets' words per field; more values would cost more than a row slot.
pub const BITSET_MAX_VALUES: usize = 64;

/// Counts by facet field name: (value name, count) pairs in name order, for the values
/// found at least once.
pub type NamedCounts = BTreeMap<&'static str, Vec<(String, u64)>>;

/// A generation's facet values, for counting.
pub struct FacetTable {
    /// Per field of [`FACETS`], in order.
    fields: Vec<FieldValues>,
    /// Per segment, by segment ordinal.
    segments: Vec<SegmentFacets>,
    /// The shared count table's length: every slotted field's values, then one slot
    /// counting documents without a value (and thrown away).
    slots: usize,
}

/// One field's value names across the generation, in name order, and how it is counted.
struct FieldValues {
    names: Vec<String>,
    layout: Layout,
}

#[derive(Clone, Copy)]
enum Layout {
    /// A bitset of documents per value, in [`SegmentFacets::bits`].
    Bits,
    /// A document's value as a slot (and any further values in [`Extra`]): its counts are
    /// `slots[first..first + names.len()]`.
    Slot { first: usize },
}

/// A segment's documents' values.
struct SegmentFacets {
    /// Words in a bitset of the segment's documents.
    words: usize,
    /// Per field of [`FACETS`]: for a bitset field, value `v`'s documents are
    /// `bits[field][v * words..(v + 1) * words]`; empty for slotted fields.
    bits: Vec<Vec<u64>>,
    /// Document `d`'s slots are `rows[d * width..(d + 1) * width]`.
    rows: Vec<u16>,
    width: usize,
    /// The slots beyond the first of documents with several values in a slotted field.
    extra: Extra,
}

/// The second and later slots of a segment's documents with several values in a slotted
/// field: document `d`'s are `slots[starts[d]..starts[d + 1]]`. Both are empty when no
/// document has more than one value (no round-up), the common case.
#[derive(Default)]
struct Extra {
    starts: Vec<u32>,
    slots: Vec<u16>,
}

impl Extra {
    /// From (document, slot) pairs in document order.
    fn new(max_doc: usize, pairs: &[(usize, u16)]) -> Extra {
        if pairs.is_empty() {
            return Extra::default();
        }
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut slots = Vec::with_capacity(pairs.len());
        let mut next = pairs.iter().peekable();
        for doc in 0..max_doc {
            starts.push(slots.len() as u32);
            while let Some(&&(_, slot)) = next.peek().filter(|(d, _)| *d == doc) {
                slots.push(slot);
                next.next();
            }
        }
        starts.push(slots.len() as u32);
        Extra { starts, slots }
    }

    /// Document `doc`'s further slots (none for most).
    #[inline]
    fn of(&self, doc: usize) -> &[u16] {
        if self.slots.is_empty() {
            return &[];
        }
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&start), Some(&end)) => {
                self.slots.get(start as usize..end as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }
}

/// What one field of one segment holds, as read from its fast field.
struct Column {
    names: Vec<String>,
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl FacetTable {
    /// Reads every field of [`FACETS`] from the segments' fast fields.
    pub fn read(segments: &[SegmentReader]) -> Result<FacetTable> {
        let columns: Vec<Vec<Column>> = segments.iter().map(read_columns).collect::<Result<_>>()?;
        let mut slots = 0;
        let mut fields = Vec::with_capacity(FACETS.len());
        // Per field, per segment: the generation-wide number of each segment value number.
        let mut numbering: Vec<Vec<Vec<u32>>> = Vec::with_capacity(FACETS.len());
        for field in 0..FACETS.len() {
            let mut names: Vec<String> =
                columns.iter().flat_map(|c| c[field].names.iter().cloned()).collect();
            names.sort_unstable();
            names.dedup();
            numbering.push(
                columns
                    .iter()
                    .map(|c| {
                        c[field]
                            .names
                            .iter()
                            .map(|n| names.binary_search(n).unwrap_or_default() as u32)
                            .collect()
                    })
                    .collect(),
            );
            let slotted =
                names.len() > BITSET_MAX_VALUES && slots + names.len() < usize::from(u16::MAX);
            let layout = if slotted {
                let first = slots;
                slots += names.len();
                Layout::Slot { first }
            } else {
                Layout::Bits
            };
            fields.push(FieldValues { names, layout });
        }

        let slotted: Vec<(usize, usize)> = fields
            .iter()
            .enumerate()
            .filter_map(|(f, v)| match v.layout {
                Layout::Slot { first } => Some((f, first)),
                Layout::Bits => None,
            })
            .collect();
        let width = slotted.len();
        let none = slots as u16;
        let segments = columns
            .iter()
            .enumerate()
            .map(|(segment, columns)| {
                let max_doc = columns.first().map_or(0, |c| c.starts.len().saturating_sub(1));
                let words = max_doc.div_ceil(64);
                let mut rows = vec![none; max_doc * width];
                // (document, slot) of values beyond a document's first.
                let mut more: Vec<(usize, u16)> = Vec::new();
                for (place, &(field, first)) in slotted.iter().enumerate() {
                    let Column { starts, ords, .. } = &columns[field];
                    let global = &numbering[field][segment];
                    for doc in 0..max_doc {
                        let values = &ords[starts[doc] as usize..starts[doc + 1] as usize];
                        let Some((&head, rest)) = values.split_first() else { continue };
                        rows[doc * width + place] = (first + global[head as usize] as usize) as u16;
                        let mut last = head;
                        for &ord in rest {
                            // A value listed twice is counted once.
                            if ord != last {
                                more.push((doc, (first + global[ord as usize] as usize) as u16));
                                last = ord;
                            }
                        }
                    }
                }
                more.sort_by_key(|&(doc, _)| doc);
                let extra = Extra::new(max_doc, &more);
                let bits = columns
                    .iter()
                    .enumerate()
                    .map(|(field, Column { starts, ords, .. })| {
                        if !matches!(fields[field].layout, Layout::Bits) {
                            return Vec::new();
                        }
                        let global = &numbering[field][segment];
                        let mut bits = vec![0u64; fields[field].names.len() * words];
                        for doc in 0..max_doc {
                            for &ord in &ords[starts[doc] as usize..starts[doc + 1] as usize] {
                                let value = global[ord as usize] as usize;
                                bits[value * words + doc / 64] |= 1 << (doc % 64);
                            }
                        }
                        bits
                    })
                    .collect();
                SegmentFacets { words, bits, rows, width, extra }
            })
            .collect();
        Ok(FacetTable { fields, segments, slots: slots + 1 })
    }

    /// The counts of `tally`'s fields by name, for the values found.
    pub fn named(&self, tally: &Tally) -> NamedCounts {
        let mut named = NamedCounts::new();
        for &field in &tally.fields {
            let values = &self.fields[field];
            let counts: &[u32] = match values.layout {
                Layout::Slot { first } => &tally.slots[first..first + values.names.len()],
                Layout::Bits => match tally.bits.iter().find(|(f, _)| *f == field) {
                    Some((_, counts)) => counts,
                    None => continue,
                },
            };
            let found = counts
                .iter()
                .zip(&values.names)
                .filter(|&(&count, _)| count > 0)
                .map(|(&count, name)| (name.clone(), u64::from(count)))
                .collect();
            named.insert(FACETS[field], found);
        }
        named
    }
}

/// Reads one segment's value names and per-document value numbers for each of [`FACETS`].
fn read_columns(segment: &SegmentReader) -> Result<Vec<Column>> {
    let max_doc = segment.max_doc() as usize;
    let mut columns = Vec::with_capacity(FACETS.len());
    for name in FACETS {
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut ords = Vec::with_capacity(max_doc);
        let mut names = Vec::new();
        starts.push(0);
        if let Some(column) = segment.fast_fields().str(name)? {
            for doc in 0..max_doc as DocId {
                ords.extend(column.term_ords(doc).map(|o| o as u32));
                starts.push(ords.len() as u32);
            }
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                names.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
        } else {
            starts.resize(max_doc + 1, 0);
        }
        columns.push(Column { names, starts, ords });
    }
    Ok(columns)
}

/// Counts per value number of some of [`FACETS`], as one segment or several found them.
pub struct Tally {
    /// Positions in [`FACETS`] of the fields counted.
    fields: Vec<usize>,
    /// The shared count table of the slotted fields (all of them are counted: a row costs
    /// the same whichever are wanted).
    slots: Vec<u32>,
    /// Per bitset field counted: its position in [`FACETS`] and a count per value.
    bits: Vec<(usize, Vec<u32>)>,
}

impl Tally {
    fn empty(table: &FacetTable, fields: &[usize]) -> Tally {
        let bits = fields
            .iter()
            .filter(|&&f| matches!(table.fields[f].layout, Layout::Bits))
            .map(|&f| (f, vec![0; table.fields[f].names.len()]))
            .collect();
        Tally { fields: fields.to_vec(), slots: vec![0; table.slots], bits }
    }

    fn add(&mut self, other: &Tally) {
        for (into, n) in self.slots.iter_mut().zip(&other.slots) {
            *into += n;
        }
        for ((_, into), (_, counts)) in self.bits.iter_mut().zip(&other.bits) {
            for (into, n) in into.iter_mut().zip(counts) {
                *into += n;
            }
        }
    }
}

/// A collector counting the values of some of [`FACETS`] over the matching documents.
pub struct FacetCounts {
    table: Arc<FacetTable>,
    /// Positions in [`FACETS`].
    fields: Vec<usize>,
}

impl FacetCounts {
    /// Counts the fields named (those of [`FACETS`]; others are ignored).
    pub fn new(table: &Arc<FacetTable>, fields: &[&str]) -> FacetCounts {
        let fields = fields.iter().filter_map(|f| FACETS.iter().position(|n| n == f)).collect();
        FacetCounts { table: Arc::clone(table), fields }
    }
}

/// [`FacetCounts`] over one segment.
pub struct FacetSegment {
    table: Arc<FacetTable>,
    segment: usize,
    /// The matching documents, when a bitset field is counted.
    matches: Vec<u64>,
    /// The words of `matches` that may be non-zero: `first_word..=last_word`.
    first_word: usize,
    last_word: usize,
    tally: Tally,
}

impl Collector for FacetCounts {
    type Fruit = Tally;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let segment = ord as usize;
        let Some(facets) = self.table.segments.get(segment) else {
            return Err(tantivy::TantivyError::InternalError(
                "a segment without facet values".into(),
            ));
        };
        let tally = Tally::empty(&self.table, &self.fields);
        let words = if tally.bits.is_empty() { 0 } else { facets.words };
        Ok(FacetSegment {
            table: Arc::clone(&self.table),
            segment,
            matches: vec![0; words],
            first_word: usize::MAX,
            last_word: 0,
            tally,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut fruits = fruits.into_iter();
        let mut merged = fruits.next().unwrap_or_else(|| Tally::empty(&self.table, &self.fields));
        for fruit in fruits {
            merged.add(&fruit);
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let doc = doc as usize;
        if let Some(word) = self.matches.get_mut(doc / 64) {
            *word |= 1 << (doc % 64);
            self.first_word = self.first_word.min(doc / 64);
            self.last_word = self.last_word.max(doc / 64);
        }
        let facets = &self.table.segments[self.segment];
        let row = facets.rows.get(doc * facets.width..(doc + 1) * facets.width).unwrap_or(&[]);
        for &slot in row {
            if let Some(count) = self.tally.slots.get_mut(usize::from(slot)) {
                *count += 1;
            }
        }
        for &slot in facets.extra.of(doc) {
            if let Some(count) = self.tally.slots.get_mut(usize::from(slot)) {
                *count += 1;
            }
        }
    }

    fn harvest(mut self) -> Tally {
        if self.first_word > self.last_word {
            return self.tally;
        }
        let facets = &self.table.segments[self.segment];
        let span = self.first_word..self.last_word + 1;
        let matches = &self.matches[span.clone()];
        for (field, counts) in &mut self.tally.bits {
            let bits = &facets.bits[*field];
            for (value, count) in counts.iter_mut().enumerate() {
                let start = value * facets.words;
                let Some(docs) = bits.get(start + span.start..start + span.end) else { continue };
                *count = docs.iter().zip(matches).map(|(d, m)| (d & m).count_ones()).sum();
            }
        }
        self.tally
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::{AllQuery, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;
    use crate::index::schema::{Fields, build_schema};

    /// A test document: areas (several for a round-up), outcome and themes.
    type Doc = (Vec<String>, Option<&'static str>, Vec<&'static str>);

    /// Documents in three segments whose dictionaries differ: 130 areas in all (counted by
    /// slot), three outcomes or none, and themes (both counted by bitset). In the first and
    /// last segments every seventh document is a round-up of two or three areas; the
    /// middle segment has none.
    fn segments() -> Vec<Vec<Doc>> {
        let outcomes = [Some("positive"), Some("inconsistent"), None];
        let themes = ["waiting-times", "ehcp-timeliness", "co-production", "transitions"];
        let mut state = 7u32;
        let mut next = |n: usize| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as usize % n
        };
        (0..3)
            .map(|segment| {
                (0..200)
                    .map(|doc| {
                        // Each segment uses only some areas, so dictionaries differ; a theme
                        // may be listed twice.
                        let mut area = || format!("area-{:03}", segment * 30 + next(70));
                        let mut areas = vec![area()];
                        if segment != 1 && doc % 7 == 3 {
                            for _ in 0..2 + doc % 2 {
                                let another = area();
                                if !areas.contains(&another) {
                                    areas.push(another);
                                }
                            }
                        }
                        let taken = (0..next(3)).map(|_| themes[next(themes.len())]).collect();
                        (areas, outcomes[next(outcomes.len())], taken)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn counts_over_several_segments_match_a_plain_count() {
        let index = Index::create_in_ram(build_schema());
        crate::index::analyser::register(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let docs = segments();
        for segment in &docs {
            for (areas, outcome, themes) in segment {
                let mut doc = TantivyDocument::default();
                for area in areas {
                    doc.add_text(fields.area, area);
                }
                if let Some(outcome) = outcome {
                    doc.add_text(fields.outcome, outcome);
                }
                for theme in themes {
                    doc.add_text(fields.theme, theme);
                }
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let table = Arc::new(FacetTable::read(searcher.segment_readers()).unwrap());
        let layout =
            |name: &str| table.fields[FACETS.iter().position(|f| *f == name).unwrap()].layout;
        assert!(matches!(layout("area"), Layout::Slot { .. }), "round-ups or not");
        let extras: Vec<usize> = table.segments.iter().map(|s| s.extra.slots.len()).collect();
        // Segment ordinals need not follow the commits: one segment, whichever, has none.
        assert_eq!(extras.iter().filter(|&&n| n == 0).count(), 1, "{extras:?}");
        assert!(matches!(layout("outcome"), Layout::Bits));
        assert!(matches!(layout("theme"), Layout::Bits));

        let all: Vec<_> = docs.iter().flatten().collect();
        let positive = Term::from_field_text(fields.outcome, "positive");
        let nothing = Term::from_field_text(fields.outcome, "no-such-outcome");
        let queries: Vec<(Box<dyn Query>, Vec<_>)> = vec![
            (Box::new(AllQuery), all.clone()),
            (
                Box::new(TermQuery::new(positive, IndexRecordOption::Basic)),
                all.iter().copied().filter(|d| d.1 == Some("positive")).collect(),
            ),
            (Box::new(TermQuery::new(nothing, IndexRecordOption::Basic)), Vec::new()),
        ];
        for (query, matching) in queries {
            let tally = searcher.search(&*query, &FacetCounts::new(&table, FACETS)).unwrap();
            let named = table.named(&tally);
            let mut areas: BTreeMap<String, u64> = BTreeMap::new();
            let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
            let mut themes: BTreeMap<String, u64> = BTreeMap::new();
            for (listed_areas, outcome, taken) in &matching {
                // A round-up counts once under each of its areas.
                for area in listed_areas {
                    *areas.entry(area.clone()).or_default() += 1;
                }
                if let Some(outcome) = outcome {
                    *outcomes.entry(outcome.to_string()).or_default() += 1;
                }
                // An article counts once for a theme, however often it lists it.
                let distinct: std::collections::BTreeSet<_> = taken.iter().collect();
                for theme in distinct {
                    *themes.entry(theme.to_string()).or_default() += 1;
                }
            }
            let listed = |m: BTreeMap<String, u64>| m.into_iter().collect::<Vec<_>>();
            assert_eq!(named["area"], listed(areas));
            assert_eq!(named["outcome"], listed(outcomes));
            assert_eq!(named["theme"], listed(themes));
            assert!(named["year"].is_empty(), "no document has a year");
        }
    }

    #[test]
    fn only_the_fields_asked_for_are_named() {
        let index = Index::create_in_ram(build_schema());
        let searcher = index.reader().unwrap().searcher();
        let table = Arc::new(FacetTable::read(searcher.segment_readers()).unwrap());
        let tally = searcher.search(&AllQuery, &FacetCounts::new(&table, &["region"])).unwrap();
        assert_eq!(table.named(&tally).keys().copied().collect::<Vec<_>>(), ["region"]);
    }
}
