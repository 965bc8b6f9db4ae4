//! Sending the mail queue (`store::mail`): a background chore claims the e-mails
//! that are due, sends each through the SMTP server of `[mail]` with lettre, and
//! marks it sent, or keeps it with its error to be tried again later. Without
//! `[mail]` nothing is sent: the e-mails wait in the queue and the dashboard says
//! so. Any feature queues e-mail with `store::NewMail` (in its own transaction
//! with `store::enqueue_mail_in`); none sends directly.

use crate::AppState;
use crate::platform::parts::{ChoreFuture, Parts, When};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTls {
    /// STARTTLS on a plain connection (port 587): the usual submission.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// None: only for a relay on the same machine or network (and the tests).
    None,
}

impl MailTls {
    /// `starttls`, `tls` or `none` (as `[mail] tls` writes it).
    pub fn parse(s: &str) -> Option<MailTls> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" | "" => Some(MailTls::StartTls),
            "tls" | "ssl" => Some(MailTls::Tls),
            "none" | "off" => Some(MailTls::None),
            _ => None,
        }
    }
}

/// The SMTP server e-mail goes through (`[mail]`).
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Protection.
    pub tls: MailTls,
    /// Login, when the server asks for one.
    pub user: String,
    /// Password.
    pub password: String,
    /// The sender: "Sở GD&ĐT Bình An <noreply@so.binhan.edu.vn>" or an address.
    pub from: String,
}

/// E-mails sent per round at most, so that a long queue does not hold the round.
const PER_ROUND: i64 = 20;

pub(crate) fn install(parts: &mut Parts) {
    parts.chore("mail: send the queue", When::Round, send_chore);
}

fn send_chore(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        send_queued_mail(state, crate::now()).await;
    })
}

impl AppState {
    /// Whether `[mail]` is set: without it nothing is sent.
    pub fn mail_configured(&self) -> bool {
        self.options.mail.is_some()
    }
}

/// Sends the e-mails due at `now`; how many went out. Failures are recorded on
/// their rows (tried again after a pause) and logged.
pub async fn send_queued_mail(state: &AppState, now: i64) -> usize {
    let Some(options) = &state.options.mail else {
        return 0;
    };
    let due = match state.store.claim_mail(now, PER_ROUND).await {
        Ok(due) if due.is_empty() => return 0,
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "mail queue not read; tried again next round");
            return 0;
        }
    };
    let transport = match transport(options) {
        Ok(t) => t,
        Err(e) => {
            for mail in &due {
                record_failure(state, mail.id, &e, now).await;
            }
            return 0;
        }
    };
    let mut sent = 0;
    for mail in due {
        let outcome = match message(options, &mail) {
            Ok(m) => transport
                .send(m)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                sent += 1;
                if let Err(e) = state.store.mail_sent(mail.id, now).await {
                    tracing::warn!(error = %e, id = mail.id, "e-mail sent but not marked sent");
                }
            }
            Err(e) => record_failure(state, mail.id, &e, now).await,
        }
    }
    sent
}

async fn record_failure(state: &AppState, id: i64, error: &str, now: i64) {
    tracing::warn!(
        id,
        error,
        "e-mail not sent; it stays in the queue and is tried again"
    );
    if let Err(e) = state.store.mail_failed(id, error, now).await {
        tracing::warn!(error = %e, id, "e-mail failure not recorded");
    }
}

fn transport(o: &MailOptions) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match o.tls {
        MailTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&o.host),
        MailTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&o.host)
            .map_err(|e| e.to_string())?,
        MailTls::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&o.host).map_err(|e| e.to_string())?
        }
    };
    let mut builder = builder.port(o.port).timeout(Some(Duration::from_secs(30)));
    if !o.user.is_empty() {
        builder = builder.credentials(Credentials::new(o.user.clone(), o.password.clone()));
    }
    Ok(builder.build())
}

fn message(o: &MailOptions, mail: &store::QueuedMail) -> Result<Message, String> {
    let from: Mailbox = o.from.parse().map_err(|e| format!("[mail] from: {e}"))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("địa chỉ nhận {}: {e}", mail.to))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())
}
