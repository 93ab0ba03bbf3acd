//! Plain (non-secret) single-line text input: the username field.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in characters.
    cursor: usize,
}

pub const MAX_TEXT_CHARS: usize = 256;

impl TextInput {
    pub fn value(&self) -> &str {
        &self.value
    }
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    pub fn len(&self) -> usize {
        self.value.chars().count()
    }
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
    fn byte_at(&self, char_idx: usize) -> usize {
        self.value.char_indices().nth(char_idx).map(|(i, _)| i).unwrap_or(self.value.len())
    }
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() || self.len() >= MAX_TEXT_CHARS {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        true
    }
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }
    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }
    pub fn home(&mut self) {
        self.cursor = 0;
    }
    pub fn end(&mut self) {
        self.cursor = self.len();
    }
    /// Ctrl-U: delete everything before the cursor.
    pub fn kill_to_start(&mut self) {
        let at = self.byte_at(self.cursor);
        self.value.replace_range(..at, "");
        self.cursor = 0;
    }
    /// Ctrl-W: delete the word before the cursor.
    pub fn kill_word(&mut self) {
        while self.cursor > 0 && self.value.chars().nth(self.cursor - 1).is_some_and(char::is_whitespace) {
            self.backspace();
        }
        while self.cursor > 0 && self.value.chars().nth(self.cursor - 1).is_some_and(|c| !c.is_whitespace()) {
            self.backspace();
        }
    }
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }
    pub fn set(&mut self, s: &str) {
        self.clear();
        for c in s.chars() {
            self.insert(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut t = TextInput::default();
        for c in "alex".chars() {
            t.insert(c);
        }
        t.left();
        t.left();
        t.insert('X');
        assert_eq!(t.value(), "alXex");
        t.backspace();
        t.delete();
        assert_eq!(t.value(), "alx");
        t.home();
        t.delete();
        assert_eq!(t.value(), "lx");
        t.end();
        assert_eq!(t.cursor(), 2);
        t.set("one two");
        t.kill_word();
        assert_eq!(t.value(), "one ");
        t.kill_to_start();
        assert!(t.is_empty());
        assert!(!t.insert('\n'));
    }

    #[test]
    fn unicode_cursor() {
        let mut t = TextInput::default();
        t.set("åäö");
        t.left();
        t.backspace();
        assert_eq!(t.value(), "åö");
    }
}
