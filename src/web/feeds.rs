//! STAND-IN: feeds, sitemap, robots, opensearch, being written.
use super::AppError;
use axum::response::Response;
pub async fn feed() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn area_feed() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn theme_feed() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn search_feed() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn sitemap() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn robots() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
pub async fn opensearch() -> Result<Response, AppError> {
    Err(AppError::NotFound)
}
