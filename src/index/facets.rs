//! Facet counting: how many of a search's matches have each value of each filter field.
//!
//! A generation's facet values are read once, when it is opened, into a [`FacetTable`] laid
//! out for counting. Every field's value names are listed once for the whole generation
//! (each segment's dictionary merged, in name order), and each document refers to them by
//! number: the single-valued fields side by side in one row of `u16` slots per document (a
//! slot is a value's place in one shared count table), and multi-valued fields (themes) as
//! CSR arrays of value numbers. Counting thousands of matches is then one short row and a
//! few increments per document, not a walk of tantivy's compressed columns; segments'
//! counts add up slot by slot, and names are attached once, to the values that were found.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::search::FACETS;

/// Counts by facet field name: (value name, count) pairs in name order, for the values
/// found at least once.
pub type NamedCounts = BTreeMap<&'static str, Vec<(String, u64)>>;

/// A generation's facet values, for counting.
pub struct FacetTable {
    /// Per field of [`FACETS`], in order.
    fields: Vec<FieldValues>,
    /// Per segment, by segment ordinal.
    segments: Vec<SegmentFacets>,
    /// The shared count table's length: every single-valued field's values, then one slot
    /// counting documents without a value (and thrown away).
    slots: usize,
}

/// One field's value names across the generation, in name order, and where its counts are.
struct FieldValues {
    names: Vec<String>,
    layout: Layout,
}

enum Layout {
    /// At most one value per document: its counts are `slots[first..first + names.len()]`.
    Single { first: usize },
    /// Any number per document: counted per value number, from each segment's CSR arrays.
    Multi,
}

/// A segment's documents' values.
struct SegmentFacets {
    /// Document `d`'s single-valued fields' slots are `rows[d * width..(d + 1) * width]`.
    rows: Vec<u16>,
    width: usize,
    /// Per field of [`FACETS`]: for a multi-valued field, document `d`'s value numbers are
    /// `ords[starts[d]..starts[d + 1]]`; `None` for single-valued ones.
    multi: Vec<Option<Csr>>,
}

struct Csr {
    starts: Vec<u32>,
    ords: Vec<u32>,
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
        // Per field, per segment: the global number of each of the segment's value numbers.
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
            let one_each = columns
                .iter()
                .all(|c| c[field].starts.windows(2).all(|w| w[1].saturating_sub(w[0]) <= 1));
            // Single-valued fields share the rows while their slots fit in a u16.
            let layout = if one_each && slots + names.len() < usize::from(u16::MAX) {
                let first = slots;
                slots += names.len();
                Layout::Single { first }
            } else {
                Layout::Multi
            };
            fields.push(FieldValues { names, layout });
        }

        let singles: Vec<(usize, usize)> = fields
            .iter()
            .enumerate()
            .filter_map(|(f, v)| match v.layout {
                Layout::Single { first } => Some((f, first)),
                Layout::Multi => None,
            })
            .collect();
        let width = singles.len();
        let none = slots as u16;
        let segments = columns
            .into_iter()
            .enumerate()
            .map(|(segment, mut columns)| {
                let max_doc = columns.first().map_or(0, |c| c.starts.len().saturating_sub(1));
                let mut rows = vec![none; max_doc * width];
                for (place, &(field, first)) in singles.iter().enumerate() {
                    let Column { starts, ords, .. } = &columns[field];
                    let global = &numbering[field][segment];
                    for doc in 0..max_doc {
                        if starts[doc + 1] > starts[doc] {
                            let ord = global[ords[starts[doc] as usize] as usize] as usize;
                            rows[doc * width + place] = (first + ord) as u16;
                        }
                    }
                }
                let multi = columns
                    .iter_mut()
                    .enumerate()
                    .map(|(field, column)| match fields[field].layout {
                        Layout::Single { .. } => None,
                        Layout::Multi => {
                            let global = &numbering[field][segment];
                            let ords = column.ords.iter().map(|&o| global[o as usize]).collect();
                            Some(Csr { starts: std::mem::take(&mut column.starts), ords })
                        }
                    })
                    .collect();
                SegmentFacets { rows, width, multi }
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
                Layout::Single { first } => &tally.slots[first..first + values.names.len()],
                Layout::Multi => match tally.multi.iter().find(|(f, _)| *f == field) {
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
    /// The shared count table of the single-valued fields (all of them are counted: a row
    /// costs the same whichever are wanted).
    slots: Vec<u32>,
    /// Per multi-valued field counted: its position in [`FACETS`] and a count per value.
    multi: Vec<(usize, Vec<u32>)>,
}

impl Tally {
    fn empty(table: &FacetTable, fields: &[usize]) -> Tally {
        let multi = fields
            .iter()
            .filter(|&&f| matches!(table.fields[f].layout, Layout::Multi))
            .map(|&f| (f, vec![0; table.fields[f].names.len()]))
            .collect();
        Tally { fields: fields.to_vec(), slots: vec![0; table.slots], multi }
    }

    fn add(&mut self, other: &Tally) {
        for (into, n) in self.slots.iter_mut().zip(&other.slots) {
            *into += n;
        }
        for ((_, into), (_, counts)) in self.multi.iter_mut().zip(&other.multi) {
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
        if segment >= self.table.segments.len() {
            return Err(tantivy::TantivyError::InternalError(
                "a segment without facet values".into(),
            ));
        }
        let tally = Tally::empty(&self.table, &self.fields);
        Ok(FacetSegment { table: Arc::clone(&self.table), segment, tally })
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
        let facets = &self.table.segments[self.segment];
        let doc = doc as usize;
        let row = facets.rows.get(doc * facets.width..(doc + 1) * facets.width).unwrap_or(&[]);
        for &slot in row {
            if let Some(count) = self.tally.slots.get_mut(usize::from(slot)) {
                *count += 1;
            }
        }
        for (field, counts) in &mut self.tally.multi {
            let Some(Csr { starts, ords }) = &facets.multi[*field] else { continue };
            let (Some(&start), Some(&end)) = (starts.get(doc), starts.get(doc + 1)) else {
                continue;
            };
            for &ord in ords.get(start as usize..end as usize).unwrap_or(&[]) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tally {
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

    /// A test document: area, outcome and themes.
    type Doc = (&'static str, Option<&'static str>, Vec<&'static str>);

    /// Documents in three segments whose dictionaries differ.
    fn segments() -> Vec<Vec<Doc>> {
        let areas = ["york", "dudley", "camden", "bristol", "zeta"];
        let outcomes = [Some("positive"), Some("inconsistent"), None];
        let themes = ["waiting-times", "ehcp-timeliness", "co-production", "transitions"];
        let mut state = 7u32;
        let mut next = |n: usize| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as usize % n
        };
        (0..3)
            .map(|segment| {
                (0..40)
                    .map(|_| {
                        // Each segment uses only some areas, so dictionaries differ.
                        let area = areas[(segment + next(3)) % areas.len()];
                        let taken = (0..next(3)).map(|_| themes[next(themes.len())]).collect();
                        (area, outcomes[next(outcomes.len())], taken)
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
            for (area, outcome, themes) in segment {
                let mut doc = TantivyDocument::default();
                doc.add_text(fields.area, area);
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

        let all: Vec<_> = docs.iter().flatten().collect();
        let positive = Term::from_field_text(fields.outcome, "positive");
        let queries: Vec<(Box<dyn Query>, Vec<_>)> = vec![
            (Box::new(AllQuery), all.clone()),
            (
                Box::new(TermQuery::new(positive, IndexRecordOption::Basic)),
                all.iter().copied().filter(|d| d.1 == Some("positive")).collect(),
            ),
        ];
        for (query, matching) in queries {
            let tally = searcher.search(&*query, &FacetCounts::new(&table, FACETS)).unwrap();
            let named = table.named(&tally);
            let mut areas: BTreeMap<String, u64> = BTreeMap::new();
            let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
            let mut themes: BTreeMap<String, u64> = BTreeMap::new();
            for (area, outcome, taken) in &matching {
                *areas.entry(area.to_string()).or_default() += 1;
                if let Some(outcome) = outcome {
                    *outcomes.entry(outcome.to_string()).or_default() += 1;
                }
                for theme in taken {
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
