"""The chat's stylesheet: answer cards, citations side by side, and a phone layout.

Every text colour is chosen for a contrast of at least 4.5:1 on its background
(checked with axe-core in the browser tests); ``--ra-muted`` replaces Gradio's lighter
subdued grey wherever our text uses it.
"""

CSS = """
:root, .gradio-container { --ra-muted: #374151; --ra-warn: #7a4f00; --ra-link: #1d4f91; }
.gradio-container { max-width: 1080px !important; margin: 0 auto; }
#ra-header { align-items: flex-start; }
#ra-header-text .ra-title { font-size: 1.35rem; margin: 0.2rem 0 0.3rem; line-height: 1.3; }
#ra-header-text .ra-intro { margin: 0; color: var(--ra-muted); font-size: 0.92rem; }
#ra-header-text .ra-caveat { margin: 0.25rem 0 0; font-size: 0.8rem; color: var(--ra-warn); }
#ra-selection, #ra-selection * { font-size: 0.8rem !important;
  color: var(--ra-muted) !important; }
#ra-actions { align-items: flex-end; gap: 0.5rem; }

/* an answer with a chart has several parts: one pair of thumbs, under the last */
#ra-chat .bot.message > .message-buttons:not(:last-child) { display: none; }
.ra-question { white-space: normal; }
.ra-answer .ra-text { line-height: 1.65; }
.ra-streaming { line-height: 1.65; }
.ra-caret { opacity: 0.55; animation: ra-blink 1s steps(2) infinite; margin-left: 1px; }
.ra-working { display: flex; align-items: center; gap: 0.55rem;
  color: var(--ra-muted); }
.ra-spinner { width: 0.95rem; height: 0.95rem; border-radius: 50%;
  border: 2px solid var(--border-color-primary); border-top-color: var(--color-accent);
  animation: ra-spin 0.8s linear infinite; display: inline-block; }
@keyframes ra-spin { to { transform: rotate(360deg); } }
@keyframes ra-blink { to { opacity: 0; } }
.ra-status-not_in_report .ra-text, .ra-status-invalid_input .ra-text, .ra-status-error .ra-text {
  color: var(--ra-muted); }

.ra-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #1f5aa6;
  border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0.7rem 0;
  background: var(--background-fill-secondary); }
.ra-card-label { font-size: 0.85rem; color: var(--ra-muted); }
.ra-card-value { font-size: 1.6rem; font-weight: 650; line-height: 1.3; }
.ra-card-row { margin-top: 0.35rem; font-size: 0.86rem; }
.ra-card-key { display: inline-block; min-width: 4.5rem; font-weight: 600; margin-right: 0.4rem; }
.ra-formula { white-space: pre-wrap; word-break: break-word; }
ul.ra-card-sources { margin: 0.2rem 0 0 1.1rem; padding: 0; }
.ra-source-quote, .ra-where { color: var(--ra-muted); font-size: 0.82rem; }
.ra-card-note { margin-top: 0.4rem; font-size: 0.82rem; color: var(--ra-warn); }
ul.ra-notes { font-size: 0.82rem; color: var(--ra-warn); margin: 0.5rem 0 0 1.1rem; padding: 0; }

.ra-sources { margin-top: 0.8rem; border-top: 1px solid var(--border-color-primary);
  padding-top: 0.5rem; }
.ra-sources-title { font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.03em; color: var(--ra-muted); margin-bottom: 0.3rem; }
details.ra-cite { border: 1px solid var(--border-color-primary); border-radius: 6px;
  margin: 0.35rem 0; padding: 0.35rem 0.6rem; font-size: 0.88rem; }
details.ra-cite > summary { cursor: pointer; list-style-position: outside; margin-left: 0.9rem; }
details.ra-cite[open] > summary { margin-bottom: 0.45rem; }
.ra-ref { margin-right: 0.45rem; color: var(--ra-link); }
.ra-section { color: var(--ra-muted); margin-right: 0.45rem; }
.ra-quote { color: var(--body-text-color); }
.ra-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; }
.ra-col { min-width: 0; }
.ra-col-head { font-size: 0.75rem; font-weight: 600; color: var(--ra-muted);
  margin-bottom: 0.2rem; }
.ra-col-text { line-height: 1.6; overflow-wrap: anywhere; }
.ra-col-text mark { background: #fff1b8; color: inherit; padding: 0 1px; }

@media (max-width: 640px) {
  .gradio-container { padding: 0 6px !important; }
  #ra-header { gap: 4px !important; }
  #ra-header-text .ra-title { font-size: 1.1rem; margin-top: 0; }
  #ra-header-text .ra-intro { display: none; }
  #ra-header-text .ra-caveat { font-size: 0.75rem; }
  #ra-language { padding: 4px 10px !important; }
  #ra-language .wrap { gap: 6px !important; }
  .ra-pair { grid-template-columns: 1fr; }
  .ra-card-value { font-size: 1.3rem; }
  #ra-chat .message-content { font-size: 0.95rem; }
  #ra-chat { height: 50vh !important; min-height: 260px !important; }
  #ra-chat .message-row { padding-left: 2px !important; padding-right: 2px !important;
    margin-left: 0 !important; margin-right: 0 !important; }
  #ra-chat .bot.message, #ra-chat .message.component { padding-left: 4px !important;
    padding-right: 4px !important; }
}
"""

CSS += """
/* the copy button under each answer, and the text it copies (never shown) */
.ra-copy { display: inline-flex; align-items: center; gap: 0.3rem; margin-top: 0.5rem;
  font-size: 0.82rem; color: var(--ra-link); cursor: pointer; border: 1px solid
  var(--border-color-primary); border-radius: 6px; padding: 0.1rem 0.5rem; user-select: none; }
.ra-copy:focus-visible { outline: 2px solid var(--ra-link); outline-offset: 2px; }
.ra-copy .ra-copy-done { display: none; }
.ra-copy.ra-copied .ra-copy-idle { display: none; }
.ra-copy.ra-copied .ra-copy-done { display: inline; color: #166534; }
pre.ra-copy-text { display: none !important; }
footer a, footer button, footer .show-api, footer span { color: var(--ra-muted) !important; }
/* the chat's own bin would clear without asking: "New chat" asks first */
#ra-chat .top-panel { display: none !important; }
/* a chart as wide as the answer (up to a readable size), on a phone too */
#ra-chat .message.component { width: 100%; }
#ra-chat .matplotlib { width: 100% !important; justify-content: flex-start !important;
  padding: 0 !important; }
#ra-chat .matplotlib img { width: 100% !important; max-width: 420px; height: auto !important;
  max-height: none !important; object-fit: contain; object-position: left top; }
/* asking before the conversation is cleared */
#ra-confirm { align-items: center; gap: 0.5rem; padding: 0.4rem 0.6rem;
  border: 1px solid #b91c1c; border-radius: 8px; }
#ra-confirm-text p { margin: 0; color: #7f1d1d; }
/* starter questions inside the empty chat: readable, wrapping on a phone */
#ra-chat .placeholder-content, #ra-chat .placeholder { color: var(--body-text-color); }
#ra-chat button.example { color: var(--body-text-color); }
#ra-chat .example-display-text, #ra-chat .example-text { color: var(--body-text-color) !important;
  white-space: normal; }
"""
