//! Shorthands every migration uses, so constraint and index names follow one scheme
//! (`fk_<table>_<column>`, `ix_<table>_<columns>`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub fn name(s: &'static str) -> Alias {
    Alias::new(s)
}

pub fn timestamp(col: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name(col))
}

pub fn timestamp_opt(col: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name(col))
}

pub fn fk(table: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(name(table), name(col))
        .to(name(to), name("id"))
        .to_owned()
}

pub fn index(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ix_{table}_{}", cols.join("_")))
        .table(name(table));
    for c in cols {
        idx.col(name(c));
    }
    idx.to_owned()
}
