//! The one error type of the web layer, and the pages it turns into.
//!
//! Handlers return `Result<_, AppError>`; `?` converts index and template errors. Internal
//! errors are logged with their detail and shown to the visitor as a generic message; not
//! found and bad requests get the site's own 404 and 400 pages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::views::ErrorPage;
use crate::index::QueryError;

/// What can go wrong while serving a request.
#[derive(Debug)]
pub enum AppError {
    /// No such page.
    NotFound,
    /// The request cannot be served as asked; the message says why, for the visitor.
    BadRequest(String),
    /// A search the parser rejected: shown with the syntax help.
    Query { query: String, error: QueryError },
    /// Anything else; logged, never shown.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(error: E) -> Self {
        AppError::Internal(error.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, ErrorPage::not_found()),
            AppError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, ErrorPage::bad_request(message))
            }
            AppError::Query { query, error } => {
                (StatusCode::BAD_REQUEST, ErrorPage::bad_query(query, error))
            }
            AppError::Internal(error) => {
                tracing::error!("internal error: {error:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorPage::internal())
            }
        };
        (status, page).into_response()
    }
}
