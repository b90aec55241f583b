//! The protocol's framing on a byte stream: `Content-Length: N`, a blank line, N bytes of
//! JSON-RPC. Input: the editor's bytes. Output: each message, or what was wrong with it.
//!
//! Invariants: bad input never ends the stream early: a header without `Content-Length`,
//! a body that is not JSON (`ParseError`) or not a message (`InvalidRequest`), and a body
//! larger than the limit (read and dropped, never held) are each reported as [`Incoming::Bad`]
//! and reading goes on with the next message. Only the end of the input and a failing
//! read end it. A header line is read up to [`MAX_HEADER`] bytes; a longer one is bad.
//! (lsp-server's own stdio reader ends the connection at the first malformed message and
//! allocates whatever length a header claims; hence this one.)

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message, RequestId};

/// The longest header line read.
const MAX_HEADER: u64 = 8 * 1024;

/// What was read.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A message.
    Message(Message),
    /// Something that is not a message: the error to answer, with the request's id when
    /// it could be read.
    Bad {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
    /// The input ended.
    End,
}

fn bad(id: Option<RequestId>, code: ErrorCode, message: impl Into<String>) -> Incoming {
    Incoming::Bad {
        id,
        code,
        message: message.into(),
    }
}

/// Reads the next message from `input`, whose bodies may be `max` bytes long at most.
///
/// # Errors
/// A failing read.
pub(crate) fn read(input: &mut impl BufRead, max: usize) -> io::Result<Incoming> {
    let mut length: Option<Result<usize, String>> = None;
    let mut headers = 0;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = input
            .by_ref()
            .take(MAX_HEADER)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Incoming::End);
        }
        if !line.ends_with(b"\n") {
            // A header line longer than any real one: drop the rest of it.
            while !line.ends_with(b"\n") {
                line.clear();
                if input
                    .by_ref()
                    .take(MAX_HEADER)
                    .read_until(b'\n', &mut line)?
                    == 0
                {
                    return Ok(Incoming::End);
                }
            }
            length = Some(Err("消息头过长".to_owned()));
            headers += 1;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers == 0 {
                continue;
            }
            break;
        }
        headers += 1;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("Content-Length 不是数字：{}", value.trim())),
                );
            }
            Some(_) => {}
            None => {
                if length.is_none() {
                    length = Some(Err(format!("消息头格式不正确：{text}")));
                }
            }
        }
    }
    let length = match length {
        None => {
            return Ok(bad(
                None,
                ErrorCode::ParseError,
                "消息头缺少 Content-Length",
            ));
        }
        Some(Err(why)) => return Ok(bad(None, ErrorCode::ParseError, why)),
        Some(Ok(n)) => n,
    };
    if length > max {
        let dropped = io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        if dropped < length as u64 {
            return Ok(Incoming::End);
        }
        return Ok(bad(
            None,
            ErrorCode::ParseError,
            format!("消息过长（{length} 字节，上限 {max} 字节）"),
        ));
    }
    let mut body = vec![0; length];
    if let Err(e) = input.read_exact(&mut body) {
        return if e.kind() == io::ErrorKind::UnexpectedEof {
            Ok(Incoming::End)
        } else {
            Err(e)
        };
    }
    Ok(parse(&body))
}

/// A body as a message.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return bad(None, ErrorCode::ParseError, format!("消息不是 JSON：{e}")),
    };
    let id = match value.get("id") {
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    let is_message = value.is_object()
        && (value
            .get("method")
            .is_some_and(serde_json::Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some());
    if !is_message {
        return bad(id, ErrorCode::InvalidRequest, "不是 JSON-RPC 消息");
    }
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(e) => bad(
            id,
            ErrorCode::InvalidRequest,
            format!("不是 JSON-RPC 消息：{e}"),
        ),
    }
}

/// Writes `message`, framed.
///
/// # Errors
/// A failing write.
pub(crate) fn write(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)
}

/// Writes the error answer to something that is not a message and whose id is unknown
/// (JSON-RPC's `"id": null`, which [`Message`] cannot hold).
///
/// # Errors
/// A failing write.
pub(crate) fn write_error_without_id(
    out: &mut impl Write,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn all(input: &str, max: usize) -> Vec<String> {
        let mut reader = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        loop {
            match read(&mut reader, max).unwrap() {
                Incoming::End => return out,
                Incoming::Message(Message::Request(r)) => out.push(format!("request {}", r.method)),
                Incoming::Message(Message::Notification(n)) => {
                    out.push(format!("notification {}", n.method));
                }
                Incoming::Message(Message::Response(r)) => out.push(format!("response {}", r.id)),
                Incoming::Bad { id, code, .. } => {
                    out.push(format!(
                        "bad {:?} {}",
                        id.map(|i| i.to_string()),
                        code as i32
                    ));
                }
            }
        }
    }

    #[test]
    fn bad_messages_are_reported_and_reading_goes_on() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#),
            frame("{not json"),
            "X-Other: 1\r\n\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":1}"#),
            frame(&format!(
                r#"{{"jsonrpc":"2.0","method":"big","params":"{}"}}"#,
                "x".repeat(100)
            )),
            frame(r#"{"jsonrpc":"2.0","method":"b"}"#),
            "Content-Length: 99\r\n\r\n{\"short\"".to_owned(),
        ]
        .concat();
        assert_eq!(
            all(&input, 64),
            [
                "request a",
                "bad None -32700",
                "bad None -32700",
                "bad Some(\"7\") -32600",
                "bad None -32700",
                "notification b",
            ]
        );
    }
}
