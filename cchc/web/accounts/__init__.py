"""People's logins: API tokens, lockout after guessed passwords, and the audit of every login."""
