//! Lazy pagination: a cursor with an async `next`, released by its Drop.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op, Outcome};

// [pattern]
use std::future::Future;

/// A lazy cursor over the items of every page: `next` fetches page n+1 only once the items of
/// page n have been handed out. There is no stream machinery, just an `async fn next`; the
/// cursor is released when it is dropped (a consumer that stops early drops it), and no further
/// page is fetched.
struct Pages<F, R: FnMut()> {
    fetch_page: F,
    next_page: Option<u64>, // None once the last page has been fetched
    buffered: std::vec::IntoIter<i64>,
    on_release: R,
}

impl<F, Fut, R> Pages<F, R>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = (Vec<i64>, bool)>,
    R: FnMut(),
{
    fn new(fetch_page: F, on_release: R) -> Self {
        Pages {
            fetch_page,
            next_page: Some(1),
            buffered: Vec::new().into_iter(),
            on_release,
        }
    }

    async fn next(&mut self) -> Option<i64> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Some(item);
            }
            let page = self.next_page?;
            let (items, last) = (self.fetch_page)(page).await;
            self.next_page = if last { None } else { Some(page + 1) };
            self.buffered = items.into_iter();
        }
    }
}

impl<F, R: FnMut()> Drop for Pages<F, R> {
    fn drop(&mut self) {
        (self.on_release)();
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    pages: u64,
    per_page: u64,
    fetch: u64,
    take: u64,
    then: u64,
}

pub async fn run(input: Input) {
    let Input {
        pages,
        per_page,
        fetch,
        take,
        then,
    } = input;
    // Page 1 of an empty source is a last page with no items.
    let fetch_page = |page: u64| async move {
        let spec = Op {
            id: format!("page{page}"),
            ticks: fetch,
            outcome: Outcome::Value(page as i64),
        };
        let _ = op(&spec).await;
        let count = if page <= pages { per_page } else { 0 };
        let first = (page - 1) * per_page + 1;
        let items = (first..first + count).map(|i| i as i64).collect();
        (items, page >= pages)
    };
    let mut values = Vec::new();
    {
        let mut cursor = Pages::new(fetch_page, || trace("released", json!({})));
        while let Some(item) = cursor.next().await {
            values.push(item);
            if values.len() as u64 == take {
                break;
            }
        }
    } // the cursor is dropped here, stopped early or not
    tokio::time::sleep(ticks(then)).await; // the consumer goes on for a while
    trace("result", json!({"values": values}));
}
