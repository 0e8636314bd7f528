//! Geography: the gazetteer of real places, distances between WGS84 geometries, and checks
//! of the gazetteer against independent points. Stages that need it take a [`Gazetteer`]
//! as an argument; nothing here is global.

pub mod check;
pub mod gazetteer;
pub mod geometry;

pub use gazetteer::{GazPlace, Gazetteer};

/// Why geographic input could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("check file {path}: {message}")]
    CheckFile {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("gazetteer {origin}: {message}")]
    Gazetteer { origin: String, message: String },
}
