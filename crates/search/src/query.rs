//! Turns a user's query string into a tantivy query, without a query parser: the string is
//! tokenised like the documents, so every input is valid and an empty token list means "no hits".

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::schema::Fields;

/// More words than this are dropped: they add cost, not precision.
pub const MAX_QUERY_TERMS: usize = 16;

/// Title matches count this many times a body match.
const TITLE_BOOST: f32 = 3.0;
/// Weight of an exact (accented) match, added on top of the folded match it implies.
const EXACT_BOOST: f32 = 1.5;
/// Weight of the words appearing together, in order, added on top of the single-word matches.
const PHRASE_BOOST: f32 = 2.0;

/// Builds the query for the words of a query string, each as `(exact, folded)`.
///
/// Every word must match, folded, in the title or the body (AND). Optional clauses then lift
/// documents that carry the marks the user typed, and documents where the words form a phrase.
/// A word typed without marks gets no exact clause: the user expressed no preference, and
/// preferring the rare unaccented spelling in documents would only add noise.
pub fn build(fields: &Fields, terms: &[(String, String)]) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    let text = |field: Field, word: &str| Term::from_field_text(field, word);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (exact, folded) in terms {
        let mut alternatives = vec![
            boosted(term_query(text(fields.title_folded, folded)), TITLE_BOOST),
            term_query(text(fields.body_folded, folded)),
        ];
        if exact != folded {
            alternatives.push(boosted(
                term_query(text(fields.title, exact)),
                TITLE_BOOST * EXACT_BOOST,
            ));
            alternatives.push(boosted(term_query(text(fields.body, exact)), EXACT_BOOST));
        }
        clauses.push((Occur::Must, should(alternatives)));
    }
    if terms.len() > 1 {
        let phrase = |field: Field, exact: bool| {
            let words = terms
                .iter()
                .map(|(e, f)| text(field, if exact { e } else { f }))
                .collect();
            Box::new(PhraseQuery::new(words)) as Box<dyn Query>
        };
        let mut boosters = vec![
            boosted(
                phrase(fields.title_folded, false),
                PHRASE_BOOST * TITLE_BOOST,
            ),
            boosted(phrase(fields.body_folded, false), PHRASE_BOOST),
        ];
        if terms.iter().any(|(e, f)| e != f) {
            boosters.push(boosted(
                phrase(fields.title, true),
                PHRASE_BOOST * TITLE_BOOST * EXACT_BOOST,
            ));
            boosters.push(boosted(
                phrase(fields.body, true),
                PHRASE_BOOST * EXACT_BOOST,
            ));
        }
        clauses.extend(boosters.into_iter().map(|q| (Occur::Should, q)));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn should(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}
