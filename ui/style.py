"""The chat's stylesheet: answer cards, citations side by side, and a phone layout."""

CSS = """
.gradio-container { max-width: 1080px !important; margin: 0 auto; }
#ra-header { align-items: flex-start; }
#ra-header-text .ra-title { font-size: 1.35rem; margin: 0.2rem 0 0.3rem; line-height: 1.3; }
#ra-header-text .ra-intro { margin: 0; color: var(--body-text-color-subdued); font-size: 0.92rem; }
#ra-header-text .ra-caveat { margin: 0.25rem 0 0; font-size: 0.8rem; color: #8a5a00; }
#ra-selection, #ra-selection * { font-size: 0.8rem !important;
  color: var(--body-text-color-subdued) !important; }
#ra-actions { align-items: flex-end; gap: 0.5rem; }

/* an answer with a chart has several parts: one pair of thumbs, under the last */
#ra-chat .bot.message > .message-buttons:not(:last-child) { display: none; }
.ra-question { white-space: normal; }
.ra-answer .ra-text { line-height: 1.65; }
.ra-streaming { line-height: 1.65; }
.ra-caret { opacity: 0.55; animation: ra-blink 1s steps(2) infinite; margin-left: 1px; }
.ra-working { display: flex; align-items: center; gap: 0.55rem;
  color: var(--body-text-color-subdued); }
.ra-spinner { width: 0.95rem; height: 0.95rem; border-radius: 50%;
  border: 2px solid var(--border-color-primary); border-top-color: var(--color-accent);
  animation: ra-spin 0.8s linear infinite; display: inline-block; }
@keyframes ra-spin { to { transform: rotate(360deg); } }
@keyframes ra-blink { to { opacity: 0; } }
.ra-status-not_in_report .ra-text, .ra-status-invalid_input .ra-text, .ra-status-error .ra-text {
  color: var(--body-text-color-subdued); }

.ra-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #1f5aa6;
  border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0.7rem 0;
  background: var(--background-fill-secondary); }
.ra-card-label { font-size: 0.85rem; color: var(--body-text-color-subdued); }
.ra-card-value { font-size: 1.6rem; font-weight: 650; line-height: 1.3; }
.ra-card-row { margin-top: 0.35rem; font-size: 0.86rem; }
.ra-card-key { display: inline-block; min-width: 4.5rem; font-weight: 600; margin-right: 0.4rem; }
.ra-formula { white-space: pre-wrap; word-break: break-word; }
ul.ra-card-sources { margin: 0.2rem 0 0 1.1rem; padding: 0; }
.ra-source-quote, .ra-where { color: var(--body-text-color-subdued); font-size: 0.82rem; }
.ra-card-note { margin-top: 0.4rem; font-size: 0.82rem; color: #8a5a00; }
ul.ra-notes { font-size: 0.82rem; color: #8a5a00; margin: 0.5rem 0 0 1.1rem; padding: 0; }

.ra-sources { margin-top: 0.8rem; border-top: 1px solid var(--border-color-primary);
  padding-top: 0.5rem; }
.ra-sources-title { font-size: 0.8rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.03em; color: var(--body-text-color-subdued); margin-bottom: 0.3rem; }
details.ra-cite { border: 1px solid var(--border-color-primary); border-radius: 6px;
  margin: 0.35rem 0; padding: 0.35rem 0.6rem; font-size: 0.88rem; }
details.ra-cite > summary { cursor: pointer; list-style-position: outside; margin-left: 0.9rem; }
details.ra-cite[open] > summary { margin-bottom: 0.45rem; }
.ra-ref { margin-right: 0.45rem; color: #1f5aa6; }
.ra-section { color: var(--body-text-color-subdued); margin-right: 0.45rem; }
.ra-quote { color: var(--body-text-color); }
.ra-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; }
.ra-col { min-width: 0; }
.ra-col-head { font-size: 0.75rem; font-weight: 600; color: var(--body-text-color-subdued);
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
  #ra-chat { height: 68vh !important; }
}
"""
