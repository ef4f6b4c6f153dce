//! The HTTP side: `tiny_http` on 127.0.0.1, the page and three API routes, nothing else.
//!
//! One thread receives requests and answers the quick ones (the page, the parameter
//! list, saving, every refused request); ensembles run on a second thread, one at a
//! time. A run request waits in a slot of one: a newer one takes its place and the
//! older is answered `409 superseded` without running, so moving a slider quickly never
//! queues up stale ensembles. The page also numbers its requests and drops any answer
//! older than the one it shows.

use super::{ApiError, Explorer, Job};
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex};
use tiny_http::{Header, Method, Request, Response, Server};

/// Largest request body accepted (the biggest real one, every parameter changed, is a
/// few kilobytes).
pub const MAX_BODY: usize = 64 * 1024;

/// The page, embedded in the binary.
const PAGE: &str = include_str!("page.html");

/// A started server: its address and the loop that serves it.
pub struct Running {
    server: Server,
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
}

/// Binds `127.0.0.1:port` (0: any free port).
pub fn bind(port: u16) -> Result<Running, String> {
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server has no IP address".to_owned())?;
    Ok(Running { server, addr })
}

/// The run request waiting for the worker, if any.
#[derive(Default)]
struct Pending {
    slot: Mutex<Option<(Request, Job)>>,
    ready: Condvar,
}

impl Running {
    /// Serves until the process ends.
    pub fn serve(self, explorer: Arc<Explorer>) {
        let params = explorer.params_json();
        let pending = Arc::new(Pending::default());
        {
            let (explorer, pending) = (explorer.clone(), pending.clone());
            std::thread::spawn(move || worker(&explorer, &pending));
        }
        for mut req in self.server.incoming_requests() {
            let route = (req.method().clone(), path_of(req.url()).to_owned());
            if !host_ok(&req, self.addr.port()) {
                reply_err(req, &forbidden());
                continue;
            }
            match (route.0, route.1.as_str()) {
                (Method::Get, "/") => reply(req, 200, "text/html; charset=utf-8", PAGE.into()),
                (Method::Get, "/api/params") => reply_json(req, 200, params.clone()),
                (Method::Post, "/api/run") => {
                    match body(&mut req).and_then(|b| explorer.prepare(&b)) {
                        Ok(job) => queue(&pending, req, job),
                        Err(e) => reply_err(req, &e),
                    }
                }
                (Method::Post, "/api/save") => {
                    match body(&mut req).and_then(|b| explorer.save(&b)) {
                        Ok(v) => reply_json(req, 200, v.to_string()),
                        Err(e) => reply_err(req, &e),
                    }
                }
                (_, "/" | "/api/params" | "/api/run" | "/api/save") => reply_err(
                    req,
                    &ApiError {
                        status: 405,
                        message: "method not allowed".into(),
                    },
                ),
                _ => reply_err(
                    req,
                    &ApiError {
                        status: 404,
                        message: format!("no such page: {}", route.1),
                    },
                ),
            }
        }
    }
}

fn forbidden() -> ApiError {
    ApiError {
        status: 403,
        message: "requests must be addressed to 127.0.0.1 or localhost".into(),
    }
}

/// A request naming another host is refused: a page elsewhere cannot reach this server
/// through a name that resolves to 127.0.0.1 (DNS rebinding).
fn host_ok(req: &Request, port: u16) -> bool {
    let Some(h) = req.headers().iter().find(|h| h.field.equiv("Host")) else {
        return true;
    };
    let host = h.value.as_str();
    [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
        .iter()
        .any(|ok| host.eq_ignore_ascii_case(ok))
}

fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The request's body, refused past [`MAX_BODY`] (by its declared length, or as read).
fn body(req: &mut Request) -> Result<Vec<u8>, ApiError> {
    let too_big = || ApiError {
        status: 413,
        message: format!("request body larger than {} KB", MAX_BODY / 1024),
    };
    if req.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_big());
    }
    let mut buf = Vec::new();
    req.as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ApiError::bad(format!("cannot read the request body: {e}")))?;
    if buf.len() > MAX_BODY {
        return Err(too_big());
    }
    Ok(buf)
}

/// Puts a run request in the slot, answering the one it replaces.
fn queue(pending: &Pending, req: Request, job: Job) {
    let old = pending
        .slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .replace((req, job));
    pending.ready.notify_one();
    if let Some((old, _)) = old {
        reply_json(
            old,
            409,
            r#"{"error":"superseded by a newer request","superseded":true}"#.into(),
        );
    }
}

/// Runs waiting requests one at a time, for as long as the process lives.
fn worker(explorer: &Explorer, pending: &Pending) {
    loop {
        let (req, job) = {
            let mut slot = pending
                .slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            loop {
                if let Some(next) = slot.take() {
                    break next;
                }
                slot = pending
                    .ready
                    .wait(slot)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        };
        // A bug in the model must not stop the server: the request gets a 500 and the
        // next one runs as usual.
        let answer =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| explorer.execute(&job)))
                .unwrap_or_else(|_| {
                    Err(ApiError {
                        status: 500,
                        message: "internal error while running the ensemble (see the terminal)"
                            .into(),
                    })
                });
        match answer {
            Ok(v) => reply_json(req, 200, v.to_string()),
            Err(e) => reply_err(req, &e),
        }
    }
}

fn reply_err(req: Request, e: &ApiError) {
    reply_json(req, e.status, e.body());
}

fn reply_json(req: Request, status: u16, body: String) {
    reply(req, status, "application/json", body);
}

/// Answers; a client that went away is no error of ours.
fn reply(req: Request, status: u16, content_type: &str, body: String) {
    let mut resp = Response::from_string(body).with_status_code(status);
    for (k, v) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let Ok(h) = Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            resp = resp.with_header(h);
        }
    }
    let _ = req.respond(resp);
}
