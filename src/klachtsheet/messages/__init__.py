"""Letters, e-mails and phone scripts: rendering, the outbox, the mailer and the sent-mail journal."""
