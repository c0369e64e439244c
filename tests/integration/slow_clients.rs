//! Slow and idle clients against the real `serve` (issue 16): no connection can hold the
//! server. A client that sends half a header, or nothing, is cut off after the header
//! timeout; an idle keep-alive connection after the idle timeout; and more such clients than
//! the connection cap neither exhaust the server's file descriptors nor keep `/healthz` from
//! answering once they are cut off.
//!
//! The timeouts are configured short (1 s) and the checks give them 15-30 s: only a server
//! that never closes the connection fails them, however busy the machine.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{self, TempCorpus, seeds_dir};

/// How long a check waits for what a 1-second timeout should bring about.
const PATIENCE: Duration = Duration::from_secs(15);

/// A `serve` on a free loopback port over the seed articles, killed when dropped.
struct Server {
    child: Child,
    address: String,
    _corpus: TempCorpus,
}

impl Server {
    /// Starts `serve` with these extra options, through `sh -c PREFIX` when `prefix` is given
    /// (to lower its limits with `ulimit`).
    fn start(options: &[&str], prefix: Option<&str>) -> Server {
        let corpus = TempCorpus::copy_of(&seeds_dir());
        let binary = env!("CARGO_BIN_EXE_send-archive");
        let mut command = match prefix {
            Some(prefix) => {
                let mut command = Command::new("sh");
                command.arg("-c").arg(format!("{prefix} && exec \"$0\" \"$@\"")).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        let mut child = command
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(corpus.data())
            .arg("--index")
            .arg(corpus.index())
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting serve");
        let address = support::wait_for_listening_address(&mut child);
        Server { child, address, _corpus: corpus }
    }

    fn connect(&self) -> TcpStream {
        TcpStream::connect(&self.address).expect("connecting to serve")
    }

    /// Whether the process is still running.
    fn is_alive(&mut self) -> bool {
        self.child.try_wait().expect("checking on serve").is_none()
    }

    /// Stops the server and returns what it wrote to standard error.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the server closes `stream` within `limit`, reading (and dropping) whatever it
/// sends until then.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut buffer = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            // A reset is a close too.
            Err(_) => return true,
        }
    }
}

/// Reads one response to a request on a kept-alive connection: its head, and a body as long
/// as its `Content-Length`.
fn read_response(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).expect("reading a response");
        assert!(n > 0, "the connection closed before the response was complete");
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .expect("a Content-Length");
            if received.len() >= end + 4 + length {
                return text.into_owned();
            }
        }
    }
}

/// `GET /healthz` over a new connection, retried until `limit`: whether it answered 200.
fn healthz_answers_within(server: &Server, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let Ok(mut stream) = TcpStream::connect(&server.address) else {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        let request = format!(
            "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        );
        if stream.write_all(request.as_bytes()).is_err() {
            continue;
        }
        let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        stream.set_read_timeout(Some(left)).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        if response.starts_with(b"HTTP/1.1 200") {
            return true;
        }
    }
    false
}

#[test]
fn a_client_that_sends_half_a_header_or_nothing_is_cut_off_after_the_header_timeout() {
    let server = Server::start(&["--header-timeout", "1", "--idle-timeout", "60"], None);
    let mut half = server.connect();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slo").unwrap();
    let mut silent = server.connect();
    assert!(closed_within(&mut half, PATIENCE), "a half-sent header held its connection");
    assert!(closed_within(&mut silent, PATIENCE), "a silent connection was held");
    // The server still serves.
    assert!(healthz_answers_within(&server, PATIENCE));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // A header timeout far longer than the idle timeout: the idle wait has its own clock.
    let server = Server::start(&["--header-timeout", "300", "--idle-timeout", "1"], None);
    let mut stream = server.connect();
    for _ in 0..2 {
        write!(stream, "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.address).unwrap();
        let response = read_response(&mut stream);
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }
    assert!(closed_within(&mut stream, PATIENCE), "an idle keep-alive connection was held");
}

/// The report: thousands of half-header clients exhausted the file descriptors
/// ("accept error: Too many open files") and /healthz stopped answering. Here the server has
/// 128 descriptors in all and 150 such clients come; with a cap of 16 connections it never
/// accepts more than it can hold, and the clients waiting beyond the cap are taken in turn as
/// the header timeout cuts the ones before them, so /healthz answers in a bounded time.
#[cfg(unix)]
#[test]
fn slow_clients_beyond_the_connection_cap_neither_exhaust_descriptors_nor_hold_the_server() {
    let mut server =
        Server::start(&["--header-timeout", "1", "--max-connections", "16"], Some("ulimit -n 128"));
    let mut slow: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = server.connect();
            stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
            stream
        })
        .collect();
    assert!(
        healthz_answers_within(&server, Duration::from_secs(40)),
        "/healthz did not answer while slow clients came"
    );
    assert!(server.is_alive());
    // Every slow client was let in and cut off in the end.
    for stream in &mut slow {
        assert!(closed_within(stream, PATIENCE), "a slow client's connection was held");
    }
    let stderr = server.stop();
    assert!(!stderr.contains("Too many open files"), "{stderr}");
}

/// SIGTERM stops the server without waiting for slow or idle clients: a connection with no
/// request in flight is closed at once.
#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_without_waiting_for_slow_or_idle_clients() {
    let mut server = Server::start(&["--header-timeout", "300", "--idle-timeout", "300"], None);
    let mut half = server.connect();
    half.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    let mut idle = server.connect();
    write!(idle, "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.address).unwrap();
    assert!(read_response(&mut idle).starts_with("HTTP/1.1 200"));
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server waited for its clients");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(closed_within(&mut half, PATIENCE) && closed_within(&mut idle, PATIENCE));
}
