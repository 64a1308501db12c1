//! What a message template may do, decided from the template engine's own
//! parse of it.
//!
//! A message template is pre-approved text with blanks, so it needs little
//! of minijinja: `{{ field }}` with a few filters, `{% if %}`, `{% for %}`
//! over values, and `{% include %}` / `{% extends %}` / `{% block %}` of
//! other templates by literal name. Everything else is refused, because
//! each thing refused breaks a promise lint makes:
//! - a name computed at render time (`{% include name %}`) could load words
//!   no approval covers, so every name must be a string literal, which also
//!   lets the approval digest list exactly the files a message can load;
//! - assignments (`set`, `with`), macros, imports and calls (`range()`,
//!   `namespace()`) let a template build a value in a loop or by recursion
//!   until memory runs out, which no amount of fuel stops; without them
//!   every value is a field or a literal;
//! - `*` and `**` repeat a string or number a million times in one step;
//! - an index (`x[i]`), a division by a value and a `replace` that
//!   lengthens fail or grow with values lint's examples do not have;
//! - an unknown filter or test fails only when it runs, so only the ones
//!   listed here pass, and lint reports any other at its position.
//!
//! The walk uses minijinja's parser (`unstable_machinery`): the version is
//! pinned in `Cargo.toml`, and an upgrade must re-check this module.

use minijinja::machinery::ast::{self, CallArg, Expr, Stmt};
use minijinja::syntax::SyntaxConfig;
use std::collections::BTreeMap;

use crate::limits;
use crate::span::Span;

/// Filters a template may use.
pub const FILTERS: [&str; 13] = [
    "datetime",
    "at_time",
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "length",
    "default",
    "d",
    "first",
    "last",
    "join",
];

/// Tests a template may use (`{% if x is defined %}`).
pub const TESTS: [&str; 14] = [
    "defined",
    "undefined",
    "none",
    "number",
    "string",
    "true",
    "false",
    "odd",
    "even",
    "in",
    "startingwith",
    "endingwith",
    "lower",
    "upper",
];

/// A template named by another, at the position of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub span: Span,
    /// `ignore missing`, or one of a list of alternatives: the template may
    /// be absent.
    pub optional: bool,
}

/// What a template reads and loads, found by walking its parse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    pub references: Vec<Reference>,
    /// Each variable the template reads from its context, at its first use.
    pub variables: BTreeMap<String, Span>,
    /// What each `datetime` or `at_time` filter is applied to: the variable's name, or
    /// `None` for anything else, at the filter's position. Lint checks
    /// that it is a date and time.
    pub datetime_inputs: Vec<(Option<String>, Span)>,
    /// Filters used that change letter case, which can make a text longer
    /// (`ﬃ` becomes `FFI`): lint's worst case then tries such letters.
    pub changes_case: bool,
    /// What each comparison or test looks at (`severity == "major"`,
    /// `"x" in area`): a variable's name, or `None` for anything else, at
    /// its position. A message that depends on a value lint cannot try in
    /// full could pass lint and fail in the crisis, so lint accepts only
    /// enum fields (it tries every value) and `lang` (`loop` is recorded so
    /// lint can refuse it: a loop over a value runs as often as it is long).
    pub compared: Vec<(Option<String>, Span)>,
    /// The names `for` loops bind, at the loop: lint refuses one named
    /// like a field, which an included template would read as the field.
    pub loop_targets: Vec<(String, Span)>,
}

/// Something a template may not do, or a syntax error, at its position in
/// the template's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub span: Span,
    pub message: String,
    pub syntax: bool,
}

/// Parses `text` and checks it against the policy.
pub fn inspect(name: &str, text: &str) -> Result<Inspection, Vec<Violation>> {
    let walk = walk(name, text)?;
    if walk.violations.is_empty() {
        Ok(walk.inspection)
    } else {
        Err(walk.violations)
    }
}

/// The literal names a template pulls in, even when the policy refuses
/// something else in it (the approval digest still covers them); none when
/// it does not parse.
pub fn references_anyway(text: &str) -> Vec<String> {
    match walk("digest", text) {
        Ok(walk) => walk
            .inspection
            .references
            .into_iter()
            .map(|r| r.name)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Parses `text` and walks the whole parse, gathering what it finds.
fn walk<'t>(name: &str, text: &'t str) -> Result<Walk<'t>, Vec<Violation>> {
    let stmt = ast_parse(name, text)?;
    let mut walk = Walk {
        text,
        inspection: Inspection::default(),
        violations: Vec::new(),
        scopes: Vec::new(),
    };
    walk.stmt(&stmt);
    Ok(walk)
}

fn ast_parse<'a>(name: &'a str, text: &'a str) -> Result<Stmt<'a>, Vec<Violation>> {
    minijinja::machinery::parse(text, name, SyntaxConfig::default()).map_err(|err| {
        let offset = err.range().map_or(0, |r| r.start);
        let span = match err.range() {
            Some(_) => Span::at_offset(text, offset),
            None => line_start(text, err.line().unwrap_or(1)),
        };
        vec![Violation {
            span,
            message: format!(
                "template syntax error: {}",
                err.detail().unwrap_or("cannot parse the template")
            ),
            syntax: true,
        }]
    })
}

/// The span of the first character of line `line` (1-based).
pub fn line_start(text: &str, line: usize) -> Span {
    let offset = text
        .match_indices('\n')
        .nth(line.saturating_sub(2))
        .filter(|_| line > 1)
        .map_or(0, |(i, _)| i + 1);
    Span::at_offset(text, offset)
}

struct Walk<'t> {
    text: &'t str,
    inspection: Inspection,
    violations: Vec<Violation>,
    /// Names bound by enclosing `for` loops.
    scopes: Vec<Vec<String>>,
}

impl Walk<'_> {
    fn span(&self, span: minijinja::machinery::Span) -> Span {
        let mut at = Span::at_offset(self.text, span.start_offset as usize);
        at.end = (span.end_offset as usize)
            .min(self.text.len())
            .max(at.start);
        at
    }

    fn refuse(&mut self, span: minijinja::machinery::Span, message: String) {
        let span = self.span(span);
        let violation = Violation {
            span,
            message,
            syntax: false,
        };
        // A part of an expression can be reached twice (a test inside an
        // `if` is a condition and an expression).
        if !self.violations.contains(&violation) {
            self.violations.push(violation);
        }
    }

    fn body(&mut self, stmts: &[Stmt<'_>]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt<'_>) {
        match stmt {
            Stmt::Template(t) => self.body(&t.children),
            Stmt::EmitExpr(e) => self.top_expr(&e.expr),
            Stmt::EmitRaw(_) => {}
            Stmt::ForLoop(f) => {
                if f.recursive {
                    self.refuse(
                        f.span(),
                        "recursive loops are not allowed in message templates".into(),
                    );
                }
                self.top_expr(&f.iter);
                let mut bound = vec!["loop".to_owned()];
                bind_targets(&f.target, &mut bound);
                let at = self.span(f.target.span());
                for name in bound.iter().skip(1) {
                    // What every template reads from the context, the
                    // included ones too: a loop must not stand in for it.
                    if matches!(name.as_str(), "lang" | "started_at" | "loop") {
                        self.refuse(
                            f.target.span(),
                            format!("a loop variable may not be named '{name}': templates read '{name}' as the message's own; choose another name"),
                        );
                    }
                    self.inspection.loop_targets.push((name.clone(), at));
                }
                self.scopes.push(bound);
                if let Some(filter) = &f.filter_expr {
                    self.condition(filter);
                    self.top_expr(filter);
                }
                self.body(&f.body);
                self.scopes.pop();
                if !f.else_body.is_empty() && !matches!(f.iter, Expr::Var(_)) {
                    self.refuse(
                        f.span(),
                        "`{% else %}` of a loop over a worked-out value: whether it shows depends on a value lint cannot try in full; loop over a field itself".into(),
                    );
                }
                self.body(&f.else_body);
            }
            Stmt::IfCond(i) => {
                self.condition(&i.expr);
                self.top_expr(&i.expr);
                self.body(&i.true_body);
                self.body(&i.false_body);
            }
            Stmt::AutoEscape(a) => self.body(&a.body),
            Stmt::FilterBlock(f) => {
                self.top_expr(&f.filter);
                self.body(&f.body);
            }
            Stmt::Block(b) => self.body(&b.body),
            Stmt::Extends(e) => self.reference(&e.name, false, "extends"),
            Stmt::Include(i) => self.reference(&i.name, i.ignore_missing, "include"),
            Stmt::WithBlock(s) => self.forbidden(s.span(), "{% with %}"),
            Stmt::Set(s) => self.forbidden(s.span(), "{% set %}"),
            Stmt::SetBlock(s) => self.forbidden(s.span(), "{% set %}"),
            Stmt::Import(s) => self.forbidden(s.span(), "{% import %}"),
            Stmt::FromImport(s) => self.forbidden(s.span(), "{% from ... import %}"),
            Stmt::Macro(s) => self.forbidden(s.span(), "{% macro %}"),
            Stmt::CallBlock(s) => self.forbidden(s.span(), "{% call %}"),
            Stmt::Do(s) => self.forbidden(s.span(), "{% do %}"),
            // Loop controls are a feature this crate does not enable.
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    fn forbidden(&mut self, span: minijinja::machinery::Span, what: &str) {
        self.refuse(
            span,
            format!(
                "{what} is not allowed in message templates: they hold fixed words and fields, with if, for, include and extends; write the text out"
            ),
        );
    }

    /// An include or extends name: a string literal, or a list of them.
    fn reference(&mut self, name: &Expr<'_>, ignore_missing: bool, tag: &str) {
        let literal = |e: &Expr<'_>| match e {
            Expr::Const(c) => c.value.as_str().map(str::to_owned),
            _ => None,
        };
        let names: Option<Vec<(String, minijinja::machinery::Span)>> = match name {
            Expr::List(list) => list
                .items
                .iter()
                .map(|item| literal(item).map(|n| (n, item.span())))
                .collect(),
            other => literal(other).map(|n| vec![(n, other.span())]),
        };
        match names {
            Some(names) => {
                let alternatives = names.len() > 1;
                for (name, span) in names {
                    let span = self.span(span);
                    self.inspection.references.push(Reference {
                        name,
                        span,
                        optional: ignore_missing || alternatives,
                    });
                }
            }
            None => self.refuse(
                name.span(),
                format!(
                    "{{% {tag} %}} must name its template as a string literal, such as {{% {tag} \"helpline/footer.en.j2\" %}}: a name computed when the message is rendered could load words no approval covers"
                ),
            ),
        }
    }

    /// An expression at the top of a statement: counted against the budget,
    /// then walked.
    fn top_expr(&mut self, expr: &Expr<'_>) {
        let nodes = count(expr);
        if nodes > limits::MAX_EXPRESSION_NODES {
            self.refuse(
                expr.span(),
                format!(
                    "this expression has {nodes} parts; at most {} are allowed: split it",
                    limits::MAX_EXPRESSION_NODES
                ),
            );
            return;
        }
        self.expr(expr);
    }

    fn expr(&mut self, expr: &Expr<'_>) {
        match expr {
            Expr::Var(v) => {
                let bound = self.is_bound(v.id);
                if !bound && !self.inspection.variables.contains_key(v.id) {
                    let span = self.span(v.span());
                    self.inspection.variables.insert(v.id.to_owned(), span);
                }
            }
            Expr::Const(_) => {}
            Expr::Slice(s) => {
                self.expr(&s.expr);
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(part);
                }
            }
            Expr::UnaryOp(u) => self.expr(&u.expr),
            Expr::BinOp(b) => {
                use ast::BinOpKind as Op;
                // `a or b` shows `b` when `a` is false: a test like `if`.
                if matches!(b.op, Op::ScAnd | Op::ScOr) {
                    self.condition(&b.left);
                    self.condition(&b.right);
                }
                if matches!(
                    b.op,
                    Op::In | Op::Eq | Op::Ne | Op::Lt | Op::Lte | Op::Gt | Op::Gte
                ) {
                    let span = self.span(b.span());
                    self.compare(&b.left, span);
                    self.compare(&b.right, span);
                }
                let divides = matches!(
                    b.op,
                    ast::BinOpKind::Div | ast::BinOpKind::FloorDiv | ast::BinOpKind::Rem
                );
                let by_nonzero_constant = matches!(&b.right, Expr::Const(c) if c.value.is_true());
                if divides && !by_nonzero_constant {
                    self.refuse(
                        b.span(),
                        "division is allowed only by a constant other than zero: a value of 0 would stop the message in a crisis".into(),
                    );
                }
                // Arithmetic on a value gives text lint cannot foresee from
                // the values it tries: `area|length - 9` is "0" and "1" at
                // lint's lengths and "-8" for a short value.
                let arithmetic = matches!(b.op, Op::Add | Op::Sub | Op::Div | Op::FloorDiv | Op::Rem);
                let constants = matches!(&b.left, Expr::Const(_)) && matches!(&b.right, Expr::Const(_));
                if arithmetic && !constants {
                    self.refuse(
                        b.span(),
                        "arithmetic on a value is not allowed in message templates: its result can be longer or different for values lint does not try; show the value as it was typed".into(),
                    );
                }
                if matches!(b.op, ast::BinOpKind::Mul | ast::BinOpKind::Pow) {
                    self.refuse(
                        b.span(),
                        "`*` and `**` are not allowed in message templates (one step could repeat a text millions of times); write the text out".into(),
                    );
                }
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::Compare(c) => {
                let span = self.span(c.span());
                for operand in std::iter::once(&c.expr).chain(c.ops.iter().map(|o| &o.expr)) {
                    self.compare(operand, span);
                }
                self.expr(&c.expr);
                for op in &c.ops {
                    self.expr(&op.expr);
                }
            }
            Expr::IfExpr(i) => {
                self.condition(&i.test_expr);
                self.expr(&i.test_expr);
                self.expr(&i.true_expr);
                if let Some(f) = &i.false_expr {
                    self.expr(f);
                }
            }
            Expr::Filter(f) => {
                if matches!(f.name, "datetime" | "at_time") {
                    let input = match &f.expr {
                        Some(Expr::Var(v)) if !self.is_bound(v.id) => Some(v.id.to_owned()),
                        _ => None,
                    };
                    let span = self.span(f.span());
                    self.inspection.datetime_inputs.push((input, span));
                }
                if matches!(f.name, "upper" | "title" | "capitalize" | "lower") {
                    self.inspection.changes_case = true;
                }
                let literal_args = f
                    .args
                    .iter()
                    .all(|a| matches!(a, CallArg::Pos(Expr::Const(_))));
                if matches!(f.name, "datetime" | "at_time") && !literal_args {
                    self.refuse(
                        f.span(),
                        format!("the format of `{}` must be a literal text, such as datetime(\"%H:%M\"): a format taken from a value could fail or grow when the message is rendered", f.name),
                    );
                }
                let plain_input = matches!(&f.expr, Some(Expr::Var(v)) if !self.is_bound(v.id));
                if matches!(f.name, "first" | "last") && !plain_input {
                    self.refuse(
                        f.span(),
                        format!("`{}` only on a field itself: on a worked-out value it fails when that value is empty", f.name),
                    );
                }
                if matches!(f.name, "default" | "d") && f.args.len() > 1 && !plain_input {
                    self.refuse(
                        f.span(),
                        "`default` with a second argument tests whether a worked-out value is empty, which lint cannot try in full; apply it to a field itself".into(),
                    );
                }
                // Replacing letters of a value can make it a link ('a-.co'
                // without '-' is 'a.co', counted 23 on X) or give it
                // letters a channel cannot send, which lint cannot foresee
                // for every value.
                if f.name == "replace" {
                    self.refuse(
                        f.span(),
                        "`replace` is not allowed in message templates: changing a value's letters can turn it into a link or into letters a channel cannot send; ask for the value as it should be shown".into(),
                    );
                }
                if !FILTERS.contains(&f.name) {
                    self.refuse(
                        f.span(),
                        format!(
                            "unknown filter '{}'; message templates may use: {}",
                            f.name,
                            FILTERS.join(", ")
                        ),
                    );
                }
                if let Some(e) = &f.expr {
                    self.expr(e);
                }
                self.args(&f.args);
            }
            Expr::Test(t) => {
                if !TESTS.contains(&t.name) {
                    self.refuse(
                        t.span(),
                        format!(
                            "unknown test '{}'; message templates may use: {}",
                            t.name,
                            TESTS.join(", ")
                        ),
                    );
                }
                // Whether a value is given is tried by lint (with and
                // without the optional fields); any other test looks at
                // the value itself.
                if !matches!(t.name, "defined" | "undefined" | "none") {
                    let span = self.span(t.span());
                    self.compare(&t.expr, span);
                    for arg in &t.args {
                        if let CallArg::Pos(e) | CallArg::Kwarg(_, e) = arg {
                            self.compare(e, span);
                        }
                    }
                }
                self.expr(&t.expr);
                self.args(&t.args);
            }
            Expr::GetAttr(g) => self.expr(&g.expr),
            Expr::GetItem(g) => {
                // `x[i]` fails when a value is shorter than lint's examples;
                // a slice (`x[:1]`) never does.
                self.refuse(
                    g.span(),
                    "indexing (`x[i]`) is not allowed in message templates: an index past the end stops the message when a value is shorter; use a slice such as x[:1], or datetime with %A or %B for day and month names".into(),
                );
                self.expr(&g.expr);
                self.expr(&g.subscript_expr);
            }
            Expr::Call(c) => self.refuse(
                c.span(),
                "function and method calls are not allowed in message templates (range(), namespace(), macros); use fields, filters and loops over values".into(),
            ),
            Expr::List(l) => l.items.iter().for_each(|e| self.expr(e)),
            Expr::Tuple(t) => t.items.iter().for_each(|e| self.expr(e)),
            Expr::Map(m) => {
                for e in m.keys.iter().chain(&m.values) {
                    self.expr(e);
                }
            }
        }
    }

    /// Refuses a truth test of a worked-out value: `{% if area|length - 7 %}`
    /// shows words only some values bring out, which lint cannot try in
    /// full. A field itself (given or left out, both tried), a constant,
    /// a comparison or test (checked on their own), `loop.first` and
    /// `loop.last`, and `not`, `and` and `or` of these are allowed.
    fn condition(&mut self, expr: &Expr<'_>) {
        use ast::BinOpKind as Op;
        match expr {
            // A loop variable holds whatever the loop runs over, which may
            // be worked out (`{% for x in [area[11:]] %}{% if x %}`).
            Expr::Var(v) if v.id != "loop" && self.is_bound(v.id) => self.refuse(
                v.span(),
                format!("this tests the loop variable '{}', whose value may be worked out from a field: the words would depend on a value lint cannot try in full; test a field itself", v.id),
            ),
            Expr::Var(_) | Expr::Const(_) | Expr::Test(_) => {}
            // Only whether this is the first or last pass: `loop.index0`
            // counts passes, which a value's length decides.
            Expr::GetAttr(g)
                if matches!(&g.expr, Expr::Var(v) if v.id == "loop")
                    && matches!(g.name, "first" | "last") => {}
            Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOpKind::Not) => self.condition(&u.expr),
            Expr::BinOp(b) if matches!(b.op, Op::ScAnd | Op::ScOr) => {
                self.condition(&b.left);
                self.condition(&b.right);
            }
            Expr::BinOp(b)
                if matches!(
                    b.op,
                    Op::In | Op::Eq | Op::Ne | Op::Lt | Op::Lte | Op::Gt | Op::Gte
                ) => {}
            other => self.refuse(
                other.span(),
                "this tests whether a worked-out value (a filter, arithmetic, a slice) is true or empty: the words would depend on a value lint cannot try in full; test a field itself ({% if field %}) or compare an enum field".into(),
            ),
        }
    }

    /// Whether `name` is bound by an enclosing `for` loop.
    fn is_bound(&self, name: &str) -> bool {
        self.scopes.iter().flatten().any(|n| n == name)
    }

    /// Records what one operand of a comparison looks at; constants are
    /// the same in every crisis and need no record.
    fn compare(&mut self, operand: &Expr<'_>, span: Span) {
        let subject = match operand {
            Expr::Const(_) => return,
            Expr::List(l) if l.items.iter().all(|i| matches!(i, Expr::Const(_))) => return,
            Expr::Tuple(t) if t.items.iter().all(|i| matches!(i, Expr::Const(_))) => return,
            // A loop variable is not the field it may be named after: `{% for
            // mode in [area] %}` makes `mode` a free text.
            Expr::Var(v) if v.id != "loop" && self.is_bound(v.id) => None,
            Expr::Var(v) => Some(v.id.to_owned()),
            Expr::GetAttr(g) => match &g.expr {
                Expr::Var(v) if v.id == "loop" => Some("loop".to_owned()),
                _ => None,
            },
            _ => None,
        };
        self.inspection.compared.push((subject, span));
    }

    fn args(&mut self, args: &[CallArg<'_>]) {
        for arg in args {
            match arg {
                CallArg::Pos(e) | CallArg::Kwarg(_, e) => self.expr(e),
                CallArg::PosSplat(e) | CallArg::KwargSplat(e) => {
                    self.refuse(
                        e.span(),
                        "argument splats (*args, **kwargs) are not allowed in message templates"
                            .into(),
                    );
                }
            }
        }
    }
}

fn bind_targets(target: &Expr<'_>, bound: &mut Vec<String>) {
    match target {
        Expr::Var(v) => bound.push(v.id.to_owned()),
        Expr::Tuple(t) => t.items.iter().for_each(|e| bind_targets(e, bound)),
        Expr::List(l) => l.items.iter().for_each(|e| bind_targets(e, bound)),
        _ => {}
    }
}

/// Nodes in an expression tree.
fn count(expr: &Expr<'_>) -> usize {
    let args = |args: &[CallArg<'_>]| -> usize {
        args.iter()
            .map(|a| match a {
                CallArg::Pos(e)
                | CallArg::Kwarg(_, e)
                | CallArg::PosSplat(e)
                | CallArg::KwargSplat(e) => count(e),
            })
            .sum()
    };
    1 + match expr {
        Expr::Var(_) | Expr::Const(_) => 0,
        Expr::Slice(s) => {
            count(&s.expr)
                + [&s.start, &s.stop, &s.step]
                    .into_iter()
                    .flatten()
                    .map(count)
                    .sum::<usize>()
        }
        Expr::UnaryOp(u) => count(&u.expr),
        Expr::BinOp(b) => count(&b.left) + count(&b.right),
        Expr::Compare(c) => count(&c.expr) + c.ops.iter().map(|o| count(&o.expr)).sum::<usize>(),
        Expr::IfExpr(i) => {
            count(&i.test_expr) + count(&i.true_expr) + i.false_expr.as_ref().map_or(0, count)
        }
        Expr::Filter(f) => f.expr.as_ref().map_or(0, count) + args(&f.args),
        Expr::Test(t) => count(&t.expr) + args(&t.args),
        Expr::GetAttr(g) => count(&g.expr),
        Expr::GetItem(g) => count(&g.expr) + count(&g.subscript_expr),
        Expr::Call(c) => count(&c.expr) + args(&c.args),
        Expr::List(l) => l.items.iter().map(count).sum(),
        Expr::Tuple(t) => t.items.iter().map(count).sum(),
        Expr::Map(m) => m.keys.iter().chain(&m.values).map(count).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violations(text: &str) -> Vec<String> {
        match inspect("t", text) {
            Ok(_) => Vec::new(),
            Err(v) => v.into_iter().map(|v| v.message).collect(),
        }
    }

    #[test]
    fn plain_message_templates_pass_and_list_what_they_use() {
        let text = "Call {{ phone }}{% if link %} or see {{ link | upper }}{% endif %}.\n{% for c in area %}{{ c }}{{ loop.index }}{% endfor %}{% include \"f.j2\" %}{% include ['a.j2', 'b.j2'] ignore missing %}";
        let inspection = inspect("t", text).unwrap();
        let vars: Vec<&str> = inspection.variables.keys().map(String::as_str).collect();
        assert_eq!(vars, ["area", "link", "phone"]);
        let refs: Vec<(&str, bool)> = inspection
            .references
            .iter()
            .map(|r| (r.name.as_str(), r.optional))
            .collect();
        assert_eq!(refs, [("f.j2", false), ("a.j2", true), ("b.j2", true)]);
        assert_eq!(inspection.variables["phone"].line, 1);
        assert_eq!(inspection.variables["phone"].col, 9);
    }

    #[test]
    fn unusual_spacing_is_parsed_like_any_other() {
        let inspection =
            inspect("t", "{%include\"f.j2\"%}{%-   extends   'base.j2'   -%}").unwrap();
        let names: Vec<&str> = inspection
            .references
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["f.j2", "base.j2"]);
    }

    #[test]
    fn refuses_what_could_load_unapproved_words_or_run_away() {
        for bad in [
            "{% include name %}",
            "{% include 'a' ~ lang %}",
            "{% extends base %}",
            "{% set x = 1 %}",
            "{% set x %}a{% endset %}",
            "{% with x = 1 %}{% endwith %}",
            "{% macro m() %}{% endmacro %}",
            "{% import 'm.j2' as m %}",
            "{% from 'm.j2' import x %}",
            "{{ range(10) }}",
            "{{ namespace() }}",
            "{{ 'x' * 100000000 }}",
            "{{ 2 ** 64 }}",
            "{{ x | nosuchfilter }}",
            "{{ x | indent(100000000) }}",
            "{% if x is nosuchtest %}{% endif %}",
            "{% for x in y recursive %}{% endfor %}",
            "{{ x | join(*y) }}",
            "{{ x | replace(\" \", \"...\") }}",
            "{{ x | replace(y, \"a\") }}",
            "{{ x | replace(\"\", \"\") }}",
            "{{ x | replace(\" \", \"\\n\") }}",
            "{{ 10 // n }}",
            "{{ 10 / 0 }}",
            "{{ 10 % n }}",
            "{{ ['one', 'two'][n | int] }}",
            "{{ area[3] }}",
        ] {
            assert!(!violations(bad).is_empty(), "{bad} passed");
        }
    }

    #[test]
    fn arithmetic_on_values_and_replace_are_refused() {
        assert!(violations("{{ 10 // 2 }}").is_empty());
        assert!(!violations("{{ n // 2 }}").is_empty());
        assert!(!violations("{{ area | length - 9 }}").is_empty());
        assert!(!violations("{{ x | replace(\"...\", \".\") }}").is_empty());
        let inspection =
            inspect("t", "{{ when | datetime(\"%H\") }}{{ (a ~ b) | datetime }}").unwrap();
        let inputs: Vec<Option<&str>> = inspection
            .datetime_inputs
            .iter()
            .map(|(n, _)| n.as_deref())
            .collect();
        assert_eq!(inputs, [Some("when"), None]);
    }

    #[test]
    fn comparisons_record_what_they_look_at() {
        let inspection = inspect(
            "t",
            "{% if kind == 'a' %}{% endif %}{% if 'x' in area %}{% endif %}{% if area | length > 3 %}{% endif %}{% if loop.last %}{% endif %}{% if place is defined %}{% endif %}{% if area is startingwith('q') %}{% endif %}",
        )
        .unwrap();
        let subjects: Vec<Option<&str>> = inspection
            .compared
            .iter()
            .map(|(s, _)| s.as_deref())
            .collect();
        assert_eq!(subjects, [Some("kind"), Some("area"), None, Some("area")]);
    }

    #[test]
    fn a_syntax_error_is_placed() {
        let err = inspect("t", "a\nCall {{ phone } now").unwrap_err();
        assert!(err[0].syntax);
        assert_eq!(err[0].span.line, 2);
    }

    #[test]
    fn expressions_are_bounded() {
        let at_limit = format!("{{{{ {} }}}}", vec!["a"; 128].join(" ~ "));
        assert!(violations(&at_limit).is_empty());
        let past = format!(
            "{{{{ {} }}}}",
            vec!["a"; limits::MAX_EXPRESSION_NODES].join(" ~ ")
        );
        assert!(violations(&past)[0].contains("parts"));
    }

    #[test]
    fn loop_variables_are_not_context_variables() {
        let inspection = inspect(
            "t",
            "{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}{{ a }}",
        )
        .unwrap();
        let vars: Vec<&str> = inspection.variables.keys().map(String::as_str).collect();
        assert_eq!(vars, ["a", "pairs"]);
    }
}
