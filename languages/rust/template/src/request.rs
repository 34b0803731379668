//! Reading and checking request lines (languages/protocol.schema.json): whatever arrives on stdin,
//! the runner either gets a request or an error message to answer it with.

use std::io::{BufRead, Read};

use serde_json::{Map, Value};

/// Bytes in a request line, newline excluded.
pub const MAX_LINE: usize = 1 << 20;

/// The fields a request may have.
const FIELDS: [&str; 9] = [
    "id",
    "key",
    "pattern",
    "variant",
    "scenario",
    "input",
    "tick_ms",
    "window",
    "settle_ms",
];

pub struct Request {
    pub id: Value,
    pub key: String,
    pub input: Value,
    pub tick_ms: f64,
    pub window: u64,
    pub settle_ms: f64,
}

/// A line that is not a request: the id to answer with (null when unreadable) and why.
pub struct BadRequest {
    pub id: Value,
    pub message: String,
}

impl BadRequest {
    fn new(id: &Value, message: impl Into<String>) -> Self {
        BadRequest {
            id: id.clone(),
            message: message.into(),
        }
    }
}

/// Reads the next line (without its newline). A line longer than `MAX_LINE` is read to its end
/// but not kept: it becomes a `BadRequest`. `None` at the end of the input.
pub fn read_line(input: &mut impl BufRead) -> std::io::Result<Option<Result<Vec<u8>, BadRequest>>> {
    let mut line = Vec::new();
    if input
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut line)?
        == 0
    {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    } else if line.len() > MAX_LINE {
        input.skip_until(b'\n')?;
        let message = format!("malformed request: line longer than {MAX_LINE} bytes");
        return Ok(Some(Err(BadRequest::new(&Value::Null, message))));
    }
    Ok(Some(Ok(line)))
}

/// The JSON number `value`, when it is one, in `low..=high`, and whole if `integer` is set.
fn number(value: Option<&Value>, low: f64, high: f64, integer: bool) -> Option<f64> {
    let n = value?.as_f64()?;
    (low <= n && n <= high && (!integer || n.fract() == 0.0)).then_some(n)
}

/// Decodes one request line and checks it as the schema says.
pub fn parse(line: &[u8]) -> Result<Request, BadRequest> {
    let fields: Map<String, Value> = match serde_json::from_slice(line) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => {
            return Err(BadRequest::new(
                &Value::Null,
                "malformed request: not a JSON object",
            ))
        }
        Err(e) => {
            let message = format!("malformed request: not JSON: {e}");
            return Err(BadRequest::new(&Value::Null, message));
        }
    };
    let Some(id) = number(fields.get("id"), 0.0, i64::MAX as f64, true) else {
        let message = "bad request: field 'id' must be a non-negative integer";
        return Err(BadRequest::new(&Value::Null, message));
    };
    let id = Value::from(id as u64);
    if let Some(name) = fields.keys().find(|name| !FIELDS.contains(&name.as_str())) {
        let known = FIELDS.join(", ");
        let message = format!("bad request: unknown field '{name}' (a request has: {known})");
        return Err(BadRequest::new(&id, message));
    }
    let bad = |name: &str, expected: &str| {
        BadRequest::new(
            &id,
            format!("bad request: field '{name}' must be {expected}"),
        )
    };
    let optional = |name: &str, ok: fn(&Value) -> bool| fields.get(name).is_none_or(ok);
    if !optional("pattern", Value::is_string) {
        return Err(bad("pattern", "a string"));
    }
    if !optional("scenario", Value::is_string) {
        return Err(bad("scenario", "a string"));
    }
    if !optional("variant", |v| v.is_string() || v.is_null()) {
        return Err(bad("variant", "a string or null"));
    }
    Ok(Request {
        key: match fields.get("key") {
            Some(Value::String(key)) => key.clone(),
            _ => return Err(bad("key", "a string")),
        },
        input: fields
            .get("input")
            .ok_or_else(|| bad("input", "present"))?
            .clone(),
        tick_ms: number(fields.get("tick_ms"), 0.0, 60000.0, false)
            .filter(|&t| t > 0.0)
            .ok_or_else(|| bad("tick_ms", "a number in (0, 60000]"))?,
        window: number(fields.get("window"), 0.0, 100000.0, true)
            .ok_or_else(|| bad("window", "an integer in [0, 100000]"))? as u64,
        settle_ms: match fields.get("settle_ms") {
            None => 0.0,
            settle => number(settle, 0.0, 60000.0, false)
                .ok_or_else(|| bad("settle_ms", "a number in [0, 60000]"))?,
        },
        id,
    })
}
