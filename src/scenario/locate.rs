//! Where things are in a RON file.
//!
//! Long because: one reader of RON spans (structure, paths, positions, bracket faults) that
//! every diagnostic uses; its parts make sense only together.
//!
//! serde keeps no positions, so after a successful parse a semantic problem
//! ("entities[2].csirt: no CSIRT ...") would have no line and column. This module reads
//! the file's structure once more, without interpreting values, into a tree of spans, so a
//! problem's item path can be turned into `line:col`. It also lets the loader cut the
//! file into items and parse each on its own, to report every type error, not only the
//! first.

use std::fmt;

/// 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One step of an item path: a field name or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Field(String),
    Index(usize),
}

/// An item path such as `entities[2].csirt`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ItemPath(pub Vec<Step>);

impl ItemPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    #[must_use]
    pub fn field(&self, name: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Field(name.to_owned()));
        Self(steps)
    }

    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Index(i));
        Self(steps)
    }
}

impl fmt::Display for ItemPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Field(name) if i == 0 => write!(f, "{name}")?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A value's place in the source: where it starts and the bytes it covers.
#[derive(Clone, Debug)]
pub struct Node {
    pub start: Position,
    pub start_byte: usize,
    pub end_byte: usize,
    pub kind: NodeKind,
    /// The name before `(`, e.g. `Organisation` or `Some`.
    pub tag: Option<String>,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    /// `Name(field: value, ...)` or `(field: value, ...)`.
    Struct(Vec<(String, Position, Node)>),
    /// `[a, b]`, or `Name(a, b)` / `(a, b)`.
    Seq(Vec<Node>),
    /// `{k: v}`.
    Map(Vec<(Node, Node)>),
    /// A scalar; strings keep their text so items can be found by id.
    Leaf(Option<String>),
}

impl Node {
    /// The position of the deepest node on `path` that exists in the source.
    pub fn locate(&self, path: &ItemPath) -> Position {
        let mut node = self;
        let mut found = self.start;
        for step in &path.0 {
            let next = match (step, &node.unwrapped().kind) {
                (Step::Field(name), NodeKind::Struct(fields)) => fields
                    .iter()
                    .find(|(field, _, _)| field == name)
                    .map(|(_, _, value)| value),
                (Step::Index(i), NodeKind::Seq(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(next) => {
                    node = next;
                    found = next.start;
                }
                None => break,
            }
        }
        found
    }

    /// The path of the deepest item that contains `at` (a position in the source), e.g.
    /// `csirts[0].analyts` for an unknown field name; empty outside every item. Lists and
    /// untagged tuples such as `("30m", "2h")` are entered; the insides of tagged values
    /// such as `At("T+4h")` or `Entity("bank")` are not, as validation names those too.
    pub fn path_at(&self, at: Position, lines: &LineIndex) -> ItemPath {
        let byte = lines.byte(at);
        let mut path = ItemPath::root();
        let mut node = self;
        loop {
            let inner = node.unwrapped();
            let next = match &inner.kind {
                NodeKind::Struct(fields) => fields
                    .iter()
                    .find(|(_, name_at, value)| *name_at <= at && byte < value.end_byte)
                    .map(|(name, _, value)| (Step::Field(name.clone()), value)),
                NodeKind::Seq(items) if inner.tag.is_none() => items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| item.start_byte <= byte && byte < item.end_byte)
                    .map(|(i, item)| (Step::Index(i), item)),
                _ => None,
            };
            match next {
                Some((step, child)) => {
                    path.0.push(step);
                    node = child;
                }
                None => return path,
            }
        }
    }

    /// The node itself, or for `Some(x)` the `x` inside it.
    fn unwrapped(&self) -> &Self {
        match &self.kind {
            NodeKind::Seq(items) if items.len() == 1 && self.is_some_wrapper() => &items[0],
            _ => self,
        }
    }

    fn is_some_wrapper(&self) -> bool {
        self.tag.as_deref() == Some("Some")
    }

    /// Fields of a struct node (empty for anything else).
    pub fn fields(&self) -> &[(String, Position, Node)] {
        match &self.unwrapped().kind {
            NodeKind::Struct(fields) => fields,
            _ => &[],
        }
    }

    /// Items of a list node (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.unwrapped().kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }
}

/// Byte offsets of line starts, to turn a line and column back into a byte offset.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// The text of line `number` (1-based), without its line ending, as `str::lines` gives it.
    pub fn line(&self, number: usize) -> Option<&'a str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        if start >= self.text.len() {
            return None;
        }
        let line = &self.text[start..self.line_end(number)];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The byte offset of a position; past the end of its line or of the text, the end.
    pub fn byte(&self, at: Position) -> usize {
        let Some(&start) = self.starts.get(at.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_end = self.line_end(at.line);
        self.text[start..line_end]
            .char_indices()
            .nth(at.col.saturating_sub(1))
            .map_or(line_end, |(i, _)| start + i)
    }

    /// Where line `number` (1-based, existing) ends, before its '\n': from the next line's
    /// start, so even a line of megabytes is not searched.
    fn line_end(&self, number: usize) -> usize {
        self.starts
            .get(number)
            .map_or(self.text.len(), |next| next - 1)
    }

    /// The position of a byte offset (clamped to the text, rounded down to a character).
    pub fn position(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= byte);
        let start = self.starts[line - 1];
        Position {
            line,
            col: self.text[start..byte].chars().count() + 1,
        }
    }
}

/// A bracket that does not match, found by reading only brackets, strings and comments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BracketFault {
    /// Where it shows: the stray closing bracket, or the end of the text.
    pub at: Position,
    /// The closing bracket found there; `None` at the end of the text.
    pub found: Option<char>,
    /// The innermost bracket still open: itself, where, and the name before it (`Csirt`).
    pub open: Option<(char, Position, Option<String>)>,
}

/// The first bracket that does not match its opener, if any. `None` also when strings or
/// comments are unterminated, as the brackets cannot be told apart from text then.
pub fn bracket_fault(text: &str) -> Option<BracketFault> {
    let tokens = tokenize(text).ok()?;
    let mut open: Vec<(char, Position, Option<String>)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let before = |back: usize| i.checked_sub(back).map(|j| &tokens[j].tok);
        match &token.tok {
            Tok::Open(c) => {
                // `Csirt(`, or `csirts: [` for a field's list.
                let name = match (before(2), before(1)) {
                    (_, Some(Tok::Ident(name))) => Some(name.clone()),
                    (Some(Tok::Ident(field)), Some(Tok::Colon)) => Some(format!("{field}: ")),
                    _ => None,
                };
                open.push((*c, token.pos, name));
            }
            Tok::Close(c) => match open.last() {
                Some((o, _, _)) if closer(*o) == *c => {
                    open.pop();
                }
                last => {
                    return Some(BracketFault {
                        at: token.pos,
                        found: Some(*c),
                        open: last.cloned(),
                    });
                }
            },
            _ => {}
        }
    }
    let last = open.pop()?;
    Some(BracketFault {
        at: LineIndex::new(text).position(text.trim_end().len()),
        found: None,
        open: Some(last),
    })
}

/// Where a string that ends at byte `end` and runs over a line end starts: a hint that its
/// closing quote is missing, when the parser stumbles right after it.
pub fn multiline_string_ending_at(text: &str, end: usize) -> Option<Position> {
    let tokens = tokenize(text.get(..end)?).ok()?;
    let last = tokens.last()?;
    (matches!(last.tok, Tok::Str(_)) && last.end == end && text[last.start..end].contains('\n'))
        .then_some(last.pos)
}

/// The closing bracket for an opening one.
pub const fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// Why the structure could not be read; the RON parser reports the same fault better.
#[derive(Debug)]
pub struct Unreadable;

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// Reads the structure of a RON document.
pub fn structure(text: &str) -> Result<Node, Unreadable> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        text_len: text.len(),
    };
    let node = parser.value(0)?;
    if parser.at != tokens.len() {
        return Err(Unreadable);
    }
    Ok(node)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Scalar,
    Open(char),
    Close(char),
    Colon,
    Comma,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    pos: Position,
    start: usize,
    end: usize,
}

struct Cursor<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn offset(&mut self) -> usize {
        self.chars.peek().map_or(self.text.len(), |&(i, _)| i)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Position {
        Position {
            line: self.line,
            col: self.col,
        }
    }

    fn rest(&mut self) -> &str {
        let at = self.offset();
        &self.text[at..]
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, Unreadable> {
    let mut cur = Cursor {
        text,
        chars: text.char_indices().peekable(),
        line: 1,
        col: 1,
    };
    let mut tokens = Vec::new();
    while let Some(c) = cur.peek() {
        let pos = cur.pos();
        let start = cur.offset();
        let tok = match c {
            c if c.is_whitespace() => {
                cur.bump();
                continue;
            }
            '/' => {
                skip_comment(&mut cur)?;
                continue;
            }
            '#' => {
                // `#![enable(...)]` attributes: skip to the closing bracket.
                while let Some(c) = cur.bump() {
                    if c == ']' {
                        break;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => {
                cur.bump();
                Tok::Open(c)
            }
            ')' | ']' | '}' => {
                cur.bump();
                Tok::Close(c)
            }
            ':' => {
                cur.bump();
                Tok::Colon
            }
            ',' => {
                cur.bump();
                Tok::Comma
            }
            '"' => Tok::Str(quoted(&mut cur)?),
            '\'' => {
                cur.bump();
                let mut escaped = false;
                loop {
                    match cur.bump().ok_or(Unreadable)? {
                        '\\' if !escaped => escaped = true,
                        '\'' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                Tok::Scalar
            }
            'r' | 'b' if is_raw_or_byte_string(cur.rest()) => Tok::Str(raw_or_byte(&mut cur)?),
            c if c.is_alphanumeric() || c == '_' || c == '-' || c == '+' || c == '.' => {
                let mut word = String::new();
                while let Some(c) = cur.peek() {
                    if c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | '#') {
                        word.push(c);
                        cur.bump();
                    } else {
                        break;
                    }
                }
                let first = word.chars().next().unwrap_or('0');
                if first.is_alphabetic() || first == '_' {
                    Tok::Ident(word.trim_start_matches("r#").to_owned())
                } else {
                    Tok::Scalar
                }
            }
            _ => return Err(Unreadable),
        };
        let end = cur.offset();
        tokens.push(Token {
            tok,
            pos,
            start,
            end,
        });
    }
    Ok(tokens)
}

fn skip_comment(cur: &mut Cursor<'_>) -> Result<(), Unreadable> {
    cur.bump();
    match cur.bump() {
        Some('/') => {
            while let Some(c) = cur.bump() {
                if c == '\n' {
                    break;
                }
            }
            Ok(())
        }
        Some('*') => {
            let mut depth = 1usize;
            let mut previous = ' ';
            while depth > 0 {
                let c = cur.bump().ok_or(Unreadable)?;
                match (previous, c) {
                    ('/', '*') => {
                        depth += 1;
                        previous = ' ';
                    }
                    ('*', '/') => {
                        depth -= 1;
                        previous = ' ';
                    }
                    _ => previous = c,
                }
            }
            Ok(())
        }
        _ => Err(Unreadable),
    }
}

fn quoted(cur: &mut Cursor<'_>) -> Result<String, Unreadable> {
    cur.bump();
    let mut value = String::new();
    loop {
        match cur.bump().ok_or(Unreadable)? {
            '\\' => {
                let escaped = cur.bump().ok_or(Unreadable)?;
                value.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            '"' => return Ok(value),
            c => value.push(c),
        }
    }
}

fn is_raw_or_byte_string(rest: &str) -> bool {
    let rest = rest.strip_prefix('b').unwrap_or(rest);
    let rest = rest
        .strip_prefix('r')
        .map_or(rest, |r| r.trim_start_matches('#'));
    rest.starts_with('"')
}

fn raw_or_byte(cur: &mut Cursor<'_>) -> Result<String, Unreadable> {
    if cur.peek() == Some('b') {
        cur.bump();
    }
    if cur.peek() != Some('r') {
        return quoted(cur);
    }
    cur.bump();
    let mut hashes = 0usize;
    while cur.peek() == Some('#') {
        cur.bump();
        hashes += 1;
    }
    cur.bump(); // opening quote
    let mut value = String::new();
    loop {
        let c = cur.bump().ok_or(Unreadable)?;
        if c == '"' {
            let mut seen = 0;
            while seen < hashes && cur.peek() == Some('#') {
                cur.bump();
                seen += 1;
            }
            if seen == hashes {
                return Ok(value);
            }
            value.push('"');
            value.extend(std::iter::repeat_n('#', seen));
        } else {
            value.push(c);
        }
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    text_len: usize,
}

impl Parser<'_> {
    fn peek(&self, ahead: usize) -> Option<&Tok> {
        self.tokens.get(self.at + ahead).map(|t| &t.tok)
    }

    fn next(&mut self) -> Result<Token, Unreadable> {
        let token = self.tokens.get(self.at).cloned().ok_or(Unreadable)?;
        self.at += 1;
        Ok(token)
    }

    fn value(&mut self, depth: usize) -> Result<Node, Unreadable> {
        if depth > MAX_DEPTH {
            return Err(Unreadable);
        }
        let first = self.next()?;
        let mut node = Node {
            start: first.pos,
            start_byte: first.start,
            end_byte: first.end,
            kind: NodeKind::Leaf(None),
            tag: None,
        };
        match first.tok {
            Tok::Str(text) => node.kind = NodeKind::Leaf(Some(text)),
            Tok::Scalar => {}
            Tok::Ident(name) => {
                if self.peek(0) == Some(&Tok::Open('(')) {
                    self.at += 1;
                    node.kind = self.parenthesised(depth)?;
                    node.end_byte = self.tokens[self.at - 1].end;
                }
                node.tag = Some(name);
            }
            Tok::Open('(') => {
                node.kind = self.parenthesised(depth)?;
                node.end_byte = self.tokens[self.at - 1].end;
            }
            Tok::Open('[') => {
                let mut items = Vec::new();
                while self.peek(0) != Some(&Tok::Close(']')) {
                    items.push(self.value(depth + 1)?);
                    if !self.separator(']')? {
                        break;
                    }
                }
                self.expect_close(']')?;
                node.kind = NodeKind::Seq(items);
                node.end_byte = self.tokens[self.at - 1].end;
            }
            Tok::Open('{') => {
                let mut entries = Vec::new();
                while self.peek(0) != Some(&Tok::Close('}')) {
                    let key = self.value(depth + 1)?;
                    if self.next()?.tok != Tok::Colon {
                        return Err(Unreadable);
                    }
                    let value = self.value(depth + 1)?;
                    entries.push((key, value));
                    if !self.separator('}')? {
                        break;
                    }
                }
                self.expect_close('}')?;
                node.kind = NodeKind::Map(entries);
                node.end_byte = self.tokens[self.at - 1].end;
            }
            _ => return Err(Unreadable),
        }
        node.end_byte = node.end_byte.min(self.text_len);
        Ok(node)
    }

    /// After `(`: struct fields if the first item is `name:`, else tuple items.
    fn parenthesised(&mut self, depth: usize) -> Result<NodeKind, Unreadable> {
        let is_struct =
            matches!(self.peek(0), Some(Tok::Ident(_))) && self.peek(1) == Some(&Tok::Colon);
        if is_struct {
            let mut fields = Vec::new();
            while self.peek(0) != Some(&Tok::Close(')')) {
                let name_token = self.next()?;
                let Tok::Ident(name) = name_token.tok else {
                    return Err(Unreadable);
                };
                if self.next()?.tok != Tok::Colon {
                    return Err(Unreadable);
                }
                let value = self.value(depth + 1)?;
                fields.push((name, name_token.pos, value));
                if !self.separator(')')? {
                    break;
                }
            }
            self.expect_close(')')?;
            Ok(NodeKind::Struct(fields))
        } else {
            let mut items = Vec::new();
            while self.peek(0) != Some(&Tok::Close(')')) {
                items.push(self.value(depth + 1)?);
                if !self.separator(')')? {
                    break;
                }
            }
            self.expect_close(')')?;
            Ok(NodeKind::Seq(items))
        }
    }

    /// Consumes a comma; false when the list ends here instead.
    fn separator(&mut self, close: char) -> Result<bool, Unreadable> {
        match self.peek(0) {
            Some(Tok::Comma) => {
                self.at += 1;
                Ok(true)
            }
            Some(Tok::Close(c)) if *c == close => Ok(false),
            _ => Err(Unreadable),
        }
    }

    fn expect_close(&mut self, close: char) -> Result<(), Unreadable> {
        match self.next()?.tok {
            Tok::Close(c) if c == close => Ok(()),
            _ => Err(Unreadable),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_as_str_lines_reads_them() {
        for text in ["a\nbb\r\n\nccc", "one", "", "x\n", "é\r\nü\n\n"] {
            let index = LineIndex::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let got: Vec<&str> = (1..=expected.len() + 1)
                .map_while(|n| index.line(n))
                .collect();
            assert_eq!(got, expected, "{text:?}");
            assert_eq!(index.line(0), None);
        }
    }

    const SAMPLE: &str = r##"#![enable(implicit_some)]
// a comment
Scenario(
    name: "x",
    /* block /* nested */ */
    entities: [
        Organisation(id: "a", csirt: "fin"),
        (id: "b", csirt: r#"raw"#, hours: Office(open: "09:00")),
    ],
    map: {"k": [1, 2.5, -3]},
)
"##;

    #[test]
    fn paths_resolve_to_lines_and_columns() {
        let tree = structure(SAMPLE).unwrap();
        let path = ItemPath::root().field("entities").index(1).field("csirt");
        assert_eq!(path.to_string(), "entities[1].csirt");
        assert_eq!(tree.locate(&path), Position { line: 8, col: 26 });
        let missing = ItemPath::root().field("entities").index(0).field("nope");
        assert_eq!(tree.locate(&missing), Position { line: 7, col: 9 });
    }

    #[test]
    fn item_spans_cover_the_item_text() {
        let tree = structure(SAMPLE).unwrap();
        let entities = &tree.fields()[1].2;
        let first = &entities.items()[0];
        assert_eq!(
            &SAMPLE[first.start_byte..first.end_byte],
            r#"Organisation(id: "a", csirt: "fin")"#
        );
    }

    #[test]
    fn positions_find_their_item_path() {
        let tree = structure(SAMPLE).unwrap();
        let lines = LineIndex::new(SAMPLE);
        let at = |line, col| tree.path_at(Position { line, col }, &lines).to_string();
        // On a field name, on a value, inside a tagged value, between items.
        assert_eq!(at(7, 31), "entities[0].csirt");
        assert_eq!(at(8, 36), "entities[1].hours");
        assert_eq!(at(8, 57), "entities[1].hours.open");
        assert_eq!(at(10, 19), "map");
        assert_eq!(at(6, 5), "entities");
        assert_eq!(at(1, 1), "");
        for byte in [0, 40, SAMPLE.len()] {
            assert_eq!(lines.byte(lines.position(byte)), byte);
        }
    }

    #[test]
    fn bracket_faults_name_the_open_bracket() {
        let fault = bracket_fault("Scenario(\n  csirts: [\n    Csirt(id: \"a\"\n  ],\n)").unwrap();
        assert_eq!(fault.at, Position { line: 4, col: 3 });
        assert_eq!(fault.found, Some(']'));
        assert_eq!(
            fault.open,
            Some(('(', Position { line: 3, col: 10 }, Some("Csirt".into())))
        );
        let fault = bracket_fault("Scenario(\n  csirts: [\n").unwrap();
        assert_eq!(fault.found, None);
        assert_eq!(
            fault.open,
            Some(('[', Position { line: 2, col: 11 }, Some("csirts: ".into())))
        );
        assert_eq!(bracket_fault("A(b: \")]\", c: [])"), None);
    }

    #[test]
    fn broken_or_deep_input_is_unreadable_not_a_crash() {
        assert!(structure("Scenario(name: ").is_err());
        assert!(structure(&"[".repeat(100_000)).is_err());
        assert!(structure("\"unterminated").is_err());
    }
}
