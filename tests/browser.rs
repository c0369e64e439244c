//! The site in a real browser: headless Chromium, driven by Playwright, against the real
//! `send-archive` binary serving an index built from the seed corpus.
//!
//! One test runs the whole suite in `tests/browser/run.mjs` (flows, keyboard, accessibility
//! with axe-core, phone layout, dark mode, hygiene, no-JavaScript, screenshots) and fails
//! with its report when any check fails. What it needs is installed when missing: Debian's
//! `chromium` and `chromium-driver` with `apt-get`, and the pinned npm packages with
//! `npm ci` in `tests/browser`. When they cannot be installed the test fails and says why;
//! it never passes without having run the browser.
//!
//! Screenshots of every page type, at desktop and phone sizes, in light and dark, are
//! written to `target/browser-screenshots/`, with the suite's report (`report.txt`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The browser the suite drives (Debian's package; a test tool's own download does not
/// work on the project's machines).
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the whole browser suite may take on a slow, shared machine.
const SUITE_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// How long the server may take to build its index and start.
const START_TIMEOUT: Duration = Duration::from_secs(120);

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    manifest_dir().join("tests/browser")
}

/// Runs a command to completion, returning whether it succeeded and what it printed.
fn run(command: &mut Command) -> (bool, String) {
    match command.output() {
        Ok(output) => {
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            (output.status.success(), text)
        }
        Err(error) => (false, format!("could not run {command:?}: {error}")),
    }
}

fn is_root() -> bool {
    run(Command::new("id").arg("-u")).1.trim() == "0"
}

/// `apt-get ARGS`, through `sudo -n` unless we are root.
fn apt_get(args: &[&str]) -> (bool, String) {
    let mut command = if is_root() {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", "apt-get"]);
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive").stdin(Stdio::null());
    run(&mut command)
}

/// Installs Debian's Chromium and ChromeDriver when the browser is missing.
fn ensure_chromium() {
    if Path::new(CHROMIUM).exists() {
        return;
    }
    eprintln!("browser tests: {CHROMIUM} is missing; installing chromium and chromium-driver");
    let install = ["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"];
    let (mut ok, mut log) = apt_get(&install);
    if !ok {
        let (updated, update_log) = apt_get(&["update"]);
        log.push_str(&update_log);
        if updated {
            let (retried, retry_log) = apt_get(&install);
            ok = retried;
            log.push_str(&retry_log);
        }
    }
    assert!(
        ok && Path::new(CHROMIUM).exists(),
        "The browser tests need Debian's chromium and chromium-driver, and installing them \
         failed (they need apt-get, as root or with passwordless sudo, and the package \
         mirror). Install them by hand: apt-get install chromium chromium-driver\n\n{log}"
    );
}

/// Installs the pinned npm packages (playwright-core, axe-core) when they are missing.
fn ensure_node_modules() {
    let dir = browser_dir();
    let (node_ok, node_version) = run(Command::new("node").arg("--version"));
    assert!(
        node_ok,
        "The browser tests need Node.js 20 or newer (`node`), which is missing: {node_version}"
    );
    let present = ["playwright-core", "axe-core"]
        .iter()
        .all(|name| dir.join("node_modules").join(name).join("package.json").exists());
    if present {
        return;
    }
    eprintln!("browser tests: installing playwright-core and axe-core with npm ci");
    let (ok, log) = run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null()));
    assert!(
        ok,
        "The browser tests need the npm packages in tests/browser/package-lock.json, and \
         `npm ci` there failed (it needs npm and the npm registry):\n\n{log}"
    );
}

/// A child process that is killed when dropped, so a failing test leaves nothing running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The seed corpus (articles with their sidecars), copied into `dir/data/articles`.
fn copy_seed_corpus(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    let articles = data.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for entry in std::fs::read_dir(manifest_dir().join("data/articles")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), articles.join(entry.file_name())).unwrap();
        }
    }
    data
}

/// Starts `send-archive serve` on an ephemeral loopback port and returns it with its address
/// (`http://127.0.0.1:PORT`), once `/healthz` answers.
fn start_server(data: &Path, index: &Path, log: &Path) -> (KillOnDrop, String) {
    let exe = env!("CARGO_BIN_EXE_send-archive");
    let (ok, output) = run(Command::new(exe)
        .args(["ingest", "--quiet", "--data"])
        .arg(data)
        .arg("--index")
        .arg(index));
    assert!(ok, "ingest of the seed corpus failed:\n{output}");

    let mut child = KillOnDrop(
        Command::new(exe)
            .arg("serve")
            .arg("--data")
            .arg(data)
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .expect("start send-archive serve"),
    );
    // The server prints "... is at http://127.0.0.1:PORT/ ..." once it listens.
    let stdout = child.0.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(start) = line.find("http://") {
                let url: String =
                    line[start..].chars().take_while(|c| !c.is_whitespace()).collect();
                let _ = sender.send(url.trim_end_matches('/').to_string());
            }
        }
    });
    let base = receiver.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
        panic!("the server did not say where it listens:\n{}", read(log));
    });
    let address = base.trim_start_matches("http://").to_string();
    let deadline = Instant::now() + START_TIMEOUT;
    while !healthy(&address) {
        assert!(Instant::now() < deadline, "/healthz never answered:\n{}", read(log));
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("the server exited ({status}):\n{}", read(log));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, base)
}

/// Whether `GET /healthz` answers 200.
fn healthy(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn the_site_works_in_a_real_browser() {
    ensure_chromium();
    ensure_node_modules();

    let out = manifest_dir().join("target/browser-screenshots");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();

    let temp = tempfile::tempdir().unwrap();
    let data = copy_seed_corpus(temp.path());
    let (_server, base) = start_server(&data, &temp.path().join("index"), &out.join("server.log"));

    let report = out.join("report.txt");
    let report_file = std::fs::File::create(&report).unwrap();
    let mut node = KillOnDrop(
        Command::new("node")
            .arg(browser_dir().join("run.mjs"))
            .arg(&base)
            .arg(&out)
            .env("CHROMIUM_PATH", CHROMIUM)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(browser_dir())
            .stdin(Stdio::null())
            .stdout(report_file.try_clone().unwrap())
            .stderr(report_file)
            .spawn()
            .expect("start node"),
    );
    let deadline = Instant::now() + SUITE_TIMEOUT;
    let status = loop {
        if let Some(status) = node.0.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let report_text = read(&report);
    match status {
        Some(status) if status.success() => {}
        Some(status) => panic!("browser checks failed ({status}):\n{report_text}"),
        None => panic!("browser checks took longer than {SUITE_TIMEOUT:?}:\n{report_text}"),
    }
}
