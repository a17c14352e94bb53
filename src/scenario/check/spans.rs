//! A RON reader that keeps positions.
//!
//! serde turns a scenario into typed values but forgets where each value was written; the
//! checker needs the place to point at. This reader runs after RON has accepted the file and
//! builds a tree of nodes with byte ranges, which the checker queries by path
//! (`injects[3].incident.victims[1]`). It never panics: on anything it does not understand it
//! gives up and the checker falls back to the nearest enclosing position.

use std::ops::Range;

/// Deepest nesting accepted; the RON parser's own limit is lower.
const MAX_DEPTH: usize = 128;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range in the source.
    pub span: Range<usize>,
    /// What it is.
    pub kind: Kind,
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `Name(...)` or `(...)`: a struct, tuple or enum variant.
    Group {
        /// The name before the parenthesis, if any (`Inject`, `Some`, `Turn`...).
        name: Option<String>,
        /// Named fields, with the span of each key.
        fields: Vec<(String, Range<usize>, Node)>,
        /// Positional items.
        items: Vec<Node>,
    },
    /// `[...]`.
    List(Vec<Node>),
    /// `{...}`.
    Map(Vec<(Node, Node)>),
    /// A string literal, unescaped.
    Str(String),
    /// Any other scalar: number, identifier, boolean, character.
    Atom(String),
}

/// One step of a path into the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// A named field.
    Field(&'a str),
    /// A list element or positional item.
    Index(usize),
    /// A map entry by string key.
    Key(&'a str),
}

impl Node {
    /// The node at `path`, seeing through `Some(...)`; when the path cannot be followed to the
    /// end, the deepest node reached.
    pub fn find(&self, path: &[Seg<'_>]) -> &Node {
        let mut node = self;
        for seg in path {
            match node.step(*seg) {
                Some(next) => node = next,
                None => break,
            }
        }
        node.unwrap_some()
    }

    /// The key node of a map entry at `path` (the last step must be a key).
    pub fn map_key(&self, path: &[Seg<'_>]) -> Option<&Node> {
        let (Seg::Key(k), parent) = path.split_last()? else {
            return None;
        };
        match &self.find(parent).kind {
            Kind::Map(entries) => entries
                .iter()
                .map(|(key, _)| key)
                .find(|key| matches!(&key.kind, Kind::Str(s) if s == k)),
            _ => None,
        }
    }

    /// String keys that appear more than once in the map at `path`, with the later node.
    pub fn repeated_keys(&self, path: &[Seg<'_>]) -> Vec<(&str, &Node)> {
        let Kind::Map(entries) = &self.find(path).kind else {
            return Vec::new();
        };
        let mut seen = std::collections::BTreeSet::new();
        entries
            .iter()
            .filter_map(|(key, _)| match &key.kind {
                Kind::Str(s) if !seen.insert(s.as_str()) => Some((s.as_str(), key)),
                _ => None,
            })
            .collect()
    }

    /// The span of the key of a field at `path` (the last step must be a field).
    pub fn key_span(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        let (last, parent) = path.split_last()?;
        let Seg::Field(name) = last else { return None };
        let parent = self.find(parent).unwrap_some();
        match &parent.kind {
            Kind::Group { fields, .. } => fields.iter().find(|(k, _, _)| k == name).map(|(_, s, _)| s.clone()),
            _ => None,
        }
    }

    fn unwrap_some(&self) -> &Node {
        match &self.kind {
            Kind::Group {
                name: Some(n),
                items,
                fields,
            } if n == "Some" && items.len() == 1 && fields.is_empty() => items[0].unwrap_some(),
            _ => self,
        }
    }

    fn step(&self, seg: Seg<'_>) -> Option<&Node> {
        let node = self.unwrap_some();
        match (&node.kind, seg) {
            (Kind::Group { fields, .. }, Seg::Field(f)) => fields.iter().find(|(k, _, _)| k == f).map(|(_, _, v)| v),
            (Kind::Group { items, .. }, Seg::Index(i)) => items.get(i),
            (Kind::List(items), Seg::Index(i)) => items.get(i),
            (Kind::Map(entries), Seg::Key(k)) => entries
                .iter()
                .find(|(key, _)| matches!(&key.kind, Kind::Str(s) if s == k))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Reads a whole document; `None` if it is not RON this reader understands.
pub fn read(text: &str) -> Option<Node> {
    let mut r = Reader { text, pos: 0, depth: 0 };
    // Inner attributes such as `#![enable(implicit_some)]` come before the value.
    loop {
        r.blank();
        if !r.rest().starts_with("#!") {
            break;
        }
        let end = r.rest().find(']')?;
        r.pos += end + 1;
    }
    let node = r.value()?;
    r.blank();
    (r.pos == text.len()).then_some(node)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Skips whitespace and comments (line, and nested block comments).
    fn blank(&mut self) {
        loop {
            let before = self.pos;
            while self.peek().is_some_and(char::is_whitespace) {
                self.bump();
            }
            if self.rest().starts_with("//") {
                let end = self.rest().find('\n').map_or(self.text.len(), |i| self.pos + i);
                self.pos = end;
            } else if self.rest().starts_with("/*") {
                let mut depth = 0usize;
                while !self.rest().is_empty() {
                    if self.rest().starts_with("/*") {
                        depth += 1;
                        self.pos += 2;
                    } else if self.rest().starts_with("*/") {
                        depth -= 1;
                        self.pos += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        self.bump();
                    }
                }
            }
            if self.pos == before {
                return;
            }
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.blank();
        let start = self.pos;
        let kind = match self.peek()? {
            '(' => self.group(None)?,
            '[' => self.list()?,
            '{' => self.map()?,
            '"' => Kind::Str(self.string()?),
            'r' if self.rest().starts_with("r\"") || self.rest().starts_with("r#\"") => Kind::Str(self.raw_string()?),
            '\'' => {
                self.bump();
                self.eat('\\');
                self.bump();
                self.eat('\'').then_some(())?;
                Kind::Atom(self.text[start..self.pos].to_owned())
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
                {
                    self.bump();
                }
                Kind::Atom(self.text[start..self.pos].to_owned())
            }
            c if c.is_alphabetic() || c == '_' => {
                let name = self.ident()?;
                self.blank();
                if self.peek() == Some('(') {
                    self.group(Some(name))?
                } else {
                    Kind::Atom(name)
                }
            }
            _ => return None,
        };
        self.depth -= 1;
        Some(Node {
            span: start..self.pos,
            kind,
        })
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        if self.rest().starts_with("r#") {
            self.pos += 2;
        }
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.bump();
        }
        (self.pos > start).then(|| self.text[start..self.pos].trim_start_matches("r#").to_owned())
    }

    fn group(&mut self, name: Option<String>) -> Option<Kind> {
        self.eat('(').then_some(())?;
        let mut fields = Vec::new();
        let mut items = Vec::new();
        loop {
            self.blank();
            if self.eat(')') {
                return Some(Kind::Group { name, fields, items });
            }
            // A field is an identifier followed by a single ':'.
            let save = self.pos;
            let mut is_field = false;
            if self.peek().is_some_and(|c| c.is_alphabetic() || c == '_') {
                let key_start = self.pos;
                let key = self.ident()?;
                let key_span = key_start..self.pos;
                self.blank();
                if self.rest().starts_with(':') && !self.rest().starts_with("::") {
                    self.pos += 1;
                    let value = self.value()?;
                    fields.push((key, key_span, value));
                    is_field = true;
                } else {
                    self.pos = save;
                }
            }
            if !is_field {
                items.push(self.value()?);
            }
            self.blank();
            if !self.eat(',') {
                self.blank();
                self.eat(')').then_some(())?;
                return Some(Kind::Group { name, fields, items });
            }
        }
    }

    fn list(&mut self) -> Option<Kind> {
        self.eat('[').then_some(())?;
        let mut items = Vec::new();
        loop {
            self.blank();
            if self.eat(']') {
                return Some(Kind::List(items));
            }
            items.push(self.value()?);
            self.blank();
            if !self.eat(',') {
                self.blank();
                return self.eat(']').then_some(Kind::List(items));
            }
        }
    }

    fn map(&mut self) -> Option<Kind> {
        self.eat('{').then_some(())?;
        let mut entries = Vec::new();
        loop {
            self.blank();
            if self.eat('}') {
                return Some(Kind::Map(entries));
            }
            let key = self.value()?;
            self.blank();
            self.eat(':').then_some(())?;
            let value = self.value()?;
            entries.push((key, value));
            self.blank();
            if !self.eat(',') {
                self.blank();
                return self.eat('}').then_some(Kind::Map(entries));
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.eat('"').then_some(())?;
        let mut out = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(out),
                '\\' => match self.bump()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'u' => {
                        self.eat('{');
                        let digits: String = std::iter::from_fn(|| {
                            let c = self.peek()?;
                            c.is_ascii_hexdigit().then(|| self.bump()).flatten()
                        })
                        .collect();
                        self.eat('}');
                        out.push(
                            u32::from_str_radix(&digits, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .unwrap_or('\u{fffd}'),
                        );
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
    }

    fn raw_string(&mut self) -> Option<String> {
        self.eat('r').then_some(())?;
        let mut hashes = 0;
        while self.eat('#') {
            hashes += 1;
        }
        self.eat('"').then_some(())?;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = self.rest().find(&close)?;
        let s = self.rest()[..end].to_owned();
        self.pos += end + close.len();
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"// a comment
Scenario(
    id: "x", /* block /* nested */ */
    injects: [
        Inject(id: "a", at: Turn(3), incident: Some(IncidentSpec(victims: ["DE", "XX"]))),
    ],
    member_states: { "FR": (exposure: 0.5) },
    title: r#"raw "quoted""#,
)"##;

    fn text_at<'a>(doc: &'a str, node: &Node) -> &'a str {
        &doc[node.span.clone()]
    }

    #[test]
    fn paths_lead_to_the_value_written() {
        let root = read(DOC).expect("the document reads");
        let path = [
            Seg::Field("injects"),
            Seg::Index(0),
            Seg::Field("incident"),
            Seg::Field("victims"),
            Seg::Index(1),
        ];
        assert_eq!(text_at(DOC, root.find(&path)), "\"XX\"");
        let turn = [Seg::Field("injects"), Seg::Index(0), Seg::Field("at"), Seg::Index(0)];
        assert_eq!(text_at(DOC, root.find(&turn)), "3");
        let exposure = [Seg::Field("member_states"), Seg::Key("FR"), Seg::Field("exposure")];
        assert_eq!(text_at(DOC, root.find(&exposure)), "0.5");
        let key = root
            .key_span(&[Seg::Field("injects"), Seg::Index(0), Seg::Field("at")])
            .unwrap();
        assert_eq!(&DOC[key], "at");
    }

    #[test]
    fn a_broken_path_stops_at_the_deepest_node_found() {
        let root = read(DOC).unwrap();
        let node = root.find(&[Seg::Field("injects"), Seg::Index(0), Seg::Field("nothing")]);
        assert!(text_at(DOC, node).starts_with("Inject("));
    }

    #[test]
    fn hostile_input_gives_none_not_a_panic() {
        for text in [
            "",
            "(",
            "[[[[",
            "\"unterminated",
            "Scenario(id: )",
            "r#\"x",
            "'",
            "é(",
            "/* open",
        ] {
            assert!(read(text).is_none(), "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(read(&deep).is_none());
    }
}
