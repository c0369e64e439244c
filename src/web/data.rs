//! STAND-IN: JSON twins and CSV, being written.
use super::params::{Params, QuoteParams, SearchParams};
use super::{AppError, AppState};
use axum::extract::{Path, State};
use axum::response::Response;
pub async fn api_index() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn search_json(
    State(_s): State<AppState>,
    Params(_p): Params<SearchParams>,
) -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn areas_json() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn area_json(
    State(_s): State<AppState>,
    Path(_slug): Path<String>,
) -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn article_json() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn themes_json() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn theme_json(
    State(_s): State<AppState>,
    Path(_id): Path<String>,
) -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn quotes_json(
    State(_s): State<AppState>,
    Params(_p): Params<QuoteParams>,
) -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn inspections_json() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn inspections_csv() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn articles_csv() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
