//! Public forms against spam, without a third-party service: any form that
//! anyone may send (a comment, a citizen's question) takes [`PublicForm<T>`]
//! instead of `Form<T>` and prints [`Challenge::html`] inside its `<form>`.
//! The form may be urlencoded or multipart (with files, kept in memory: the
//! route's `DefaultBodyLimit` bounds them); the handler judges the files.
//!
//! Three checks, all on the server, in this order:
//!
//! 1. **A limit per address**: a token bucket (`[antispam] posts_per_hour`,
//!    `burst`); every post counts, good or bad. Over it: 429.
//! 2. **A honeypot**: the field `trang_web`, hidden from people (off screen, out of
//!    the tab order, hidden from screen readers); a robot that fills every field
//!    fills it.
//! 3. **A challenge**: a token the server signed (HMAC-SHA256 with a key made at
//!    start), valid `[antispam] challenge_minutes` and once only. The page's script
//!    (`antispam.js`) finds a number `n` such that SHA-256 of `token:n` starts with
//!    `pow_bits` zero bits (proof of work: a fraction of a second for a person,
//!    costly by the thousand). Without JavaScript the same token carries a small
//!    sum written in words ("Bảy cộng năm bằng bao nhiêu?"), drawn from the token
//!    by the key, whose answer the reader types instead.
//!
//! The key lives in memory: after a restart, or on another instance behind the
//! same load balancer, a challenge issued before is refused as expired and the
//! form is simply shown again with a new one.

use crate::platform::extract::ClientIp;
use crate::platform::rate_limit::RateLimiter;
use crate::{AppState, now};
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The honeypot's field name.
pub(crate) const HONEYPOT: &str = "trang_web";
/// The challenge token's field name.
pub(crate) const TOKEN: &str = "thu_thach";
/// The proof of work's field name (the number the script found).
pub(crate) const WORK: &str = "loi_giai";
/// The sum's answer's field name (readers without JavaScript).
pub(crate) const ANSWER: &str = "tra_loi";

/// How public forms are guarded (`[antispam]` in the configuration).
#[derive(Debug, Clone, Copy)]
pub struct SpamLimits {
    /// Posts of public forms an hour per client address, sustained; 0: no limit.
    pub posts_per_hour: u32,
    /// Posts in a quick row before the limit applies.
    pub burst: u32,
    /// Leading zero bits the proof of work needs (each one doubles its cost).
    pub pow_bits: u8,
    /// Minutes a challenge stays valid (a reader writing a long comment needs time).
    pub challenge_minutes: u32,
}

impl Default for SpamLimits {
    fn default() -> Self {
        SpamLimits {
            posts_per_hour: 20,
            burst: 5,
            pow_bits: 16,
            challenge_minutes: 120,
        }
    }
}

/// Why a post was refused, in the reader's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// 429 for the limit, 422 otherwise.
    pub status: StatusCode,
    pub message: &'static str,
}

const TOO_MANY: Refusal = Refusal {
    status: StatusCode::TOO_MANY_REQUESTS,
    message: "Bạn đã gửi quá nhiều lần từ địa chỉ này. Xin vui lòng thử lại sau ít phút.",
};
const HONEYPOT_FILLED: Refusal = Refusal {
    status: StatusCode::UNPROCESSABLE_ENTITY,
    message: "Biểu mẫu có một ô ẩn (dùng để chặn thư rác) đã bị điền. Xin để trống ô đó và gửi lại.",
};
const STALE: Refusal = Refusal {
    status: StatusCode::UNPROCESSABLE_ENTITY,
    message: "Mã kiểm tra chống thư rác đã hết hạn hoặc đã được dùng. Xin kiểm tra lại nội dung và gửi lại.",
};
const BROKEN: Refusal = Refusal {
    status: StatusCode::PAYLOAD_TOO_LARGE,
    message: "Biểu mẫu gửi lên quá lớn hoặc bị gián đoạn (tệp đính kèm quá lớn?). Xin chọn tệp nhỏ hơn và gửi lại.",
};
const WRONG: Refusal = Refusal {
    status: StatusCode::UNPROCESSABLE_ENTITY,
    message: "Câu trả lời của câu hỏi kiểm tra chưa đúng. Xin trả lời lại (viết bằng chữ số) rồi gửi.",
};

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// The guard's state: the key, the tokens already used, the buckets.
pub(crate) struct AntiSpam {
    key: [u8; 32],
    limits: SpamLimits,
    used: Mutex<HashMap<String, i64>>,
    posts: RateLimiter,
}

/// Installs the guard (called from `AppState::new`).
pub(crate) fn install(parts: &mut crate::platform::parts::Parts, limits: SpamLimits) {
    let mut key = [0u8; 32];
    getrandom::getrandom(&mut key).expect("the operating system's random source");
    parts.insert(AntiSpam::new(key, limits));
}

impl AppState {
    /// The guard of public forms.
    pub(crate) fn antispam(&self) -> &AntiSpam {
        self.part::<AntiSpam>()
    }
}

/// A fresh challenge for one form; print [`Challenge::html`] inside the form.
pub(crate) struct Challenge {
    pub token: String,
    pub bits: u8,
    /// The sum in words, for readers without JavaScript.
    pub question: String,
    /// What the reader typed as the answer (kept when the form comes back).
    pub answer: String,
}

#[derive(Template)]
#[template(path = "platform/antispam.html")]
struct ChallengeFields<'a> {
    c: &'a Challenge,
    script: String,
}

impl Challenge {
    /// The form's hidden fields, the honeypot, the question for readers without
    /// JavaScript and the script that solves the proof of work.
    pub(crate) fn html(&self) -> String {
        ChallengeFields {
            c: self,
            script: crate::platform::assets::url("antispam.js"),
        }
        .render()
        .unwrap_or_default()
    }
}

/// The guard's fields of a posted form.
#[derive(Debug, Default)]
pub(crate) struct SpamFields {
    pub honeypot: String,
    pub token: String,
    pub work: String,
    pub answer: String,
}

impl SpamFields {
    fn read(body: &[u8]) -> SpamFields {
        let mut f = SpamFields::default();
        for (k, v) in form_urlencoded::parse(body) {
            let slot = match k.as_ref() {
                HONEYPOT => &mut f.honeypot,
                TOKEN => &mut f.token,
                WORK => &mut f.work,
                ANSWER => &mut f.answer,
                _ => continue,
            };
            *slot = v.into_owned();
        }
        f
    }
}

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut n = 0;
    for b in hash {
        if *b == 0 {
            n += 8;
        } else {
            n += b.leading_zeros();
            break;
        }
    }
    n
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl AntiSpam {
    fn new(key: [u8; 32], limits: SpamLimits) -> AntiSpam {
        AntiSpam {
            key,
            limits,
            used: Mutex::new(HashMap::new()),
            posts: RateLimiter::new(
                limits.posts_per_hour,
                Duration::from_secs(3600),
                limits.burst,
            ),
        }
    }

    fn mac(&self, what: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(what.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The two numbers of a token's sum, drawn from its salt by the key.
    fn terms(&self, salt: &str) -> (u8, u8) {
        let m = self.mac(&format!("tong|{salt}"));
        (1 + m[0] % 9, 1 + m[1] % 9)
    }

    /// A new challenge.
    pub(crate) fn challenge(&self) -> Challenge {
        self.challenge_at(now())
    }

    fn challenge_at(&self, at: i64) -> Challenge {
        let mut salt = [0u8; 12];
        getrandom::getrandom(&mut salt).expect("the operating system's random source");
        let salt = hex(&salt);
        let expires = at + i64::from(self.limits.challenge_minutes.max(1)) * 60;
        let bits = self.limits.pow_bits;
        let body = format!("{expires}.{salt}.{bits}");
        let token = format!("{body}.{}", hex(&self.mac(&body)));
        let (a, b) = self.terms(&salt);
        let cap = |s: &str| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        Challenge {
            token,
            bits,
            question: format!(
                "{} cộng {} bằng bao nhiêu?",
                cap(DIGITS[usize::from(a)]),
                DIGITS[usize::from(b)]
            ),
            answer: String::new(),
        }
    }

    /// Counts a post that could not be read whole against `ip`'s limit.
    fn broken(&self, ip: &str) -> Refusal {
        if self.posts.check(ip, Instant::now()).is_err() {
            TOO_MANY
        } else {
            BROKEN
        }
    }

    /// Judges a post from `ip`: the limit, the honeypot, then the challenge
    /// (its proof of work or its sum). A token is spent by any post that carries
    /// it, right or wrong, so a sum cannot be guessed twice on one token.
    pub(crate) fn judge(&self, ip: &str, f: &SpamFields) -> Result<(), Refusal> {
        self.judge_at(ip, f, now(), Instant::now())
    }

    fn judge_at(&self, ip: &str, f: &SpamFields, at: i64, clock: Instant) -> Result<(), Refusal> {
        if self.posts.check(ip, clock).is_err() {
            return Err(TOO_MANY);
        }
        if !f.honeypot.trim().is_empty() {
            return Err(HONEYPOT_FILLED);
        }
        let mut pieces = f.token.split('.');
        let (Some(expires), Some(salt), Some(bits), Some(mac), None) = (
            pieces.next(),
            pieces.next(),
            pieces.next(),
            pieces.next(),
            pieces.next(),
        ) else {
            return Err(STALE);
        };
        let body = format!("{expires}.{salt}.{bits}");
        let expected = hex(&self.mac(&body));
        if !crate::accounts::auth::same_token(&expected, mac) {
            return Err(STALE);
        }
        let (Ok(expires), Ok(bits)) = (expires.parse::<i64>(), bits.parse::<u32>()) else {
            return Err(STALE);
        };
        if expires < at {
            return Err(STALE);
        }
        {
            let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
            used.retain(|_, until| *until >= at);
            if used.insert(salt.to_owned(), expires).is_some() {
                return Err(STALE);
            }
        }
        let work = f.work.trim();
        if !work.is_empty() && work.len() <= 20 && work.bytes().all(|b| b.is_ascii_digit()) {
            let hash = Sha256::digest(format!("{}:{work}", f.token).as_bytes());
            if leading_zero_bits(&hash) >= bits {
                return Ok(());
            }
        }
        let (a, b) = self.terms(salt);
        match f.answer.trim().parse::<u32>() {
            Ok(n) if n == u32::from(a) + u32::from(b) => Ok(()),
            _ => Err(WRONG),
        }
    }
}

/// A public form (urlencoded or multipart) with the guard's verdict: the
/// handler shows the form again, as typed, with `verdict`'s message when it is a
/// refusal. A multipart form's text fields fill `T` as an urlencoded one would;
/// its chosen files are in `files` (the handler checks them, e.g. with
/// `media::uploads::check_attachment`).
///
/// ```ignore
/// async fn post(State(state): State<AppState>, PublicForm { form, verdict, .. }: PublicForm<CommentForm>) -> … {
///     if let Err(refusal) = verdict { return Ok(show_form(form, refusal.status, refusal.message)); }
/// ```
pub(crate) struct PublicForm<T> {
    pub form: T,
    pub files: Vec<PostedFile>,
    pub verdict: Result<(), Refusal>,
}

/// A file chosen in a public multipart form.
pub(crate) struct PostedFile {
    /// The form field's name.
    pub field: String,
    /// The name the browser gave (the sender's; never used as a path).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A multipart body's text fields (urlencoded again, so that the same reading
/// serves both kinds of form) and its files; `false` when the body broke off
/// (over the route's limit, or cut).
async fn read_multipart(
    req: Request,
    state: &AppState,
) -> Result<(Vec<u8>, Vec<PostedFile>, bool), Response> {
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let mut text: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let whole = loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break true,
            Err(_) => break false,
        };
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => match field.bytes().await {
                // A file input left empty is sent as a part with no name and no bytes.
                Ok(b) if b.is_empty() && file_name.is_empty() => {}
                Ok(b) => files.push(PostedFile {
                    field: name,
                    name: file_name,
                    bytes: b.to_vec(),
                }),
                Err(_) => break false,
            },
            None => match field.text().await {
                Ok(t) => text.push((name, t)),
                Err(_) => break false,
            },
        }
    };
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&text)
        .finish();
    Ok((encoded.into_bytes(), files, whole))
}

impl<T> FromRequest<AppState> for PublicForm<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ip = ClientIp::of(
            &parts.headers,
            &parts.extensions,
            state.options.trust_forwarded_for,
        );
        let multipart = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("multipart/form-data"));
        let (bytes, files, whole) = if multipart {
            let (text, files, whole) =
                read_multipart(Request::from_parts(parts.clone(), body), state).await?;
            (Bytes::from(text), files, whole)
        } else {
            let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(IntoResponse::into_response)?;
            (bytes, Vec::new(), true)
        };
        let fields = SpamFields::read(&bytes);
        // The text fields go through the urlencoded reader either way.
        let mut parts = parts;
        parts.headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let Form(form) =
            Form::<T>::from_request(Request::from_parts(parts, Body::from(bytes)), state)
                .await
                .map_err(IntoResponse::into_response)?;
        let verdict = if whole {
            state.antispam().judge(&ip.0, &fields)
        } else {
            Err(state.antispam().broken(&ip.0))
        };
        if let Err(r) = verdict {
            tracing::info!(address = %ip.0, reason = r.message, "public form refused");
        }
        Ok(PublicForm {
            form,
            files,
            verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(limits: SpamLimits) -> AntiSpam {
        AntiSpam::new([7; 32], limits)
    }

    fn solve(token: &str, bits: u32) -> String {
        (0u64..)
            .find(|n| leading_zero_bits(&Sha256::digest(format!("{token}:{n}").as_bytes())) >= bits)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }

    fn sum_of(question: &str) -> u32 {
        let words: Vec<String> = question.split(' ').map(str::to_lowercase).collect();
        let digit = |w: &str| DIGITS.iter().position(|d| *d == w).unwrap_or(99) as u32;
        digit(&words[0]) + digit(&words[2])
    }

    #[test]
    fn work_or_sum_once_and_in_time() {
        let g = guard(SpamLimits {
            posts_per_hour: 0,
            pow_bits: 8,
            ..SpamLimits::default()
        });
        let t = Instant::now();
        let c = g.challenge_at(1000);
        let work = solve(&c.token, 8);
        let sent = |token: &str, work: &str, answer: &str| SpamFields {
            token: token.into(),
            work: work.into(),
            answer: answer.into(),
            ..SpamFields::default()
        };
        assert_eq!(g.judge_at("a", &sent(&c.token, &work, ""), 1001, t), Ok(()));
        // Once only.
        assert_eq!(
            g.judge_at("a", &sent(&c.token, &work, ""), 1002, t),
            Err(STALE)
        );
        // The sum instead of the work.
        let c = g.challenge_at(1000);
        let right = sum_of(&c.question).to_string();
        assert_eq!(
            g.judge_at("a", &sent(&c.token, "", &right), 1001, t),
            Ok(())
        );
        let c = g.challenge_at(1000);
        assert_eq!(
            g.judge_at("a", &sent(&c.token, "1", "99"), 1001, t),
            Err(WRONG)
        );
        // Expired, forged.
        let c = g.challenge_at(1000);
        let late = 1000 + 120 * 60 + 1;
        assert_eq!(
            g.judge_at("a", &sent(&c.token, &solve(&c.token, 8), ""), late, t),
            Err(STALE)
        );
        let forged = format!("9{}", c.token);
        assert_eq!(
            g.judge_at("a", &sent(&forged, &solve(&forged, 8), ""), 1001, t),
            Err(STALE)
        );
        // The honeypot.
        let c = g.challenge_at(1000);
        let mut f = sent(&c.token, &solve(&c.token, 8), "");
        f.honeypot = "http://spam.example".into();
        assert_eq!(g.judge_at("a", &f, 1001, t), Err(HONEYPOT_FILLED));
    }

    #[test]
    fn limit_per_address() {
        let g = guard(SpamLimits {
            posts_per_hour: 1,
            burst: 2,
            pow_bits: 1,
            challenge_minutes: 10,
        });
        let t = Instant::now();
        let empty = SpamFields::default();
        assert_eq!(g.judge_at("a", &empty, 1, t), Err(STALE));
        assert_eq!(g.judge_at("a", &empty, 1, t), Err(STALE));
        assert_eq!(g.judge_at("a", &empty, 1, t), Err(TOO_MANY));
        assert_eq!(g.judge_at("b", &empty, 1, t), Err(STALE));
    }
}
