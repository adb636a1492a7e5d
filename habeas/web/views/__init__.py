"""The web app's views, one module per part of the domain. Each view authorises (sign-in; clearance is
the selector's job), validates, calls one selector or service that takes the user, and renders. A record
above the reader's clearance is answered exactly like a missing one: 404, never 403."""
