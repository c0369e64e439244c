//! The SEND Inspection Archive: what Ofsted and the CQC said about each local area's services
//! for children with special educational needs and disabilities, from the articles that
//! reported it.
//!
//! Dependencies point one way: `cli → index → extract → corpus`. [`corpus`] reads and cleans
//! article files; [`extract`] finds the facts in them (pure functions); [`index`] builds and
//! searches the tantivy index; [`cli`] is the command line.

pub mod cli;
pub mod corpus;
pub mod extract;
pub mod index;
pub mod register;
pub mod web;
