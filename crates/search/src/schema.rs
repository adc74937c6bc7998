//! Fields of the index. Any change here or in `analysis` must bump [`SCHEMA_VERSION`], because
//! analyzers are registered by name and a changed analyzer silently breaks an existing index.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{EXACT, FOLDED};

/// Version of the schema and analyzers; an index of another version is rebuilt empty.
pub const SCHEMA_VERSION: u32 = 1;

/// Handles to the fields of [`build`]'s schema.
#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// Stored NFC title, indexed with the exact analyzer.
    pub title: Field,
    pub title_folded: Field,
    /// Stored NFC body, indexed with the exact analyzer.
    pub body: Field,
    pub body_folded: Field,
    pub kind: Field,
    pub unit_id: Field,
    pub issued_on: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                // Positions make the phrase boosters possible.
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | STORED | FAST),
        title: builder.add_text_field("title", text(EXACT) | STORED),
        title_folded: builder.add_text_field("title_folded", text(FOLDED)),
        body: builder.add_text_field("body", text(EXACT) | STORED),
        body_folded: builder.add_text_field("body_folded", text(FOLDED)),
        // Indexed whole so that callers can filter on them later without a schema change.
        kind: builder.add_text_field("kind", STRING | STORED),
        unit_id: builder.add_i64_field("unit_id", INDEXED | STORED | FAST),
        issued_on: builder.add_text_field("issued_on", STRING | STORED),
    };
    (builder.build(), fields)
}
