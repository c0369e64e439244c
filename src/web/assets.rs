//! Static assets, embedded in the binary and served under content-hashed names
//! (`/static/style.3f2a9c1b.css`), so they can be cached for a year and a new version is a
//! new address. The files live in `static/`.

use std::sync::LazyLock;

use xxhash_rust::xxh3::xxh3_64;

/// One embedded file.
pub struct Asset {
    /// The address it is served at.
    pub path: String,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

/// All assets.
pub struct Assets {
    css: Asset,
    js: Asset,
    icon: Asset,
}

fn asset(stem: &str, ext: &str, content_type: &'static str, bytes: &'static [u8]) -> Asset {
    let hash = xxh3_64(bytes) >> 32;
    Asset { path: format!("/static/{stem}.{hash:08x}.{ext}"), content_type, bytes }
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets {
    css: asset("style", "css", "text/css; charset=utf-8", include_bytes!("../../static/style.css")),
    js: asset("app", "js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
    icon: asset("icon", "svg", "image/svg+xml", include_bytes!("../../static/icon.svg")),
});

/// The assets.
pub fn get() -> &'static Assets {
    &ASSETS
}

impl Assets {
    /// The stylesheet's address.
    pub fn css_path(&self) -> &'static str {
        get().css.path.as_str()
    }

    /// The script's address.
    pub fn js_path(&self) -> &'static str {
        get().js.path.as_str()
    }

    /// The icon's address.
    pub fn icon_path(&self) -> &'static str {
        get().icon.path.as_str()
    }

    /// The asset served at `path`, if any.
    pub fn find(&self, path: &str) -> Option<&Asset> {
        [&self.css, &self.js, &self.icon].into_iter().find(|a| a.path == path)
    }
}
