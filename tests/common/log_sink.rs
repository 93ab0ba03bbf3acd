//! What a tracing subscriber writes, kept in memory so a test can search it
//! for secrets. Included with `#[path = "common/log_sink.rs"] mod log_sink;`
//! by the tests that check logs (sandbox_wire, graph_provider).

use std::sync::{Arc, Mutex};

/// Collects what the tracing subscriber writes; clones share one buffer.
#[derive(Clone, Default)]
pub struct LogSink(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
