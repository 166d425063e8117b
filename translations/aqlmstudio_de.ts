<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ChatConversation</name>
    <message>
        <source>Could not read the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Story with %1</source>
        <translation>Geschichte mit %1</translation>
    </message>
    <message>
        <source>Could not save your message: %1</source>
        <translation>Ihre Nachricht konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not rename the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht umbenannt werden: %1</translation>
    </message>
    <message>
        <source>Could not clear the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht geleert werden: %1</translation>
    </message>
    <message>
        <source>Could not delete the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>Could not save the answer: %1</source>
        <translation>Die Antwort konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not read the model library: %1</source>
        <translation>Die Modellbibliothek konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>(removed model)</source>
        <translation>(entferntes Modell)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::BitEstimateLabel</name>
    <message>
        <source>Choose a model to see the predicted size.</source>
        <translation>Wählen Sie ein Modell, um die voraussichtliche Größe zu sehen.</translation>
    </message>
    <message>
        <source>Predicted: &lt;b&gt;%1 bits/param&lt;/b&gt; on quantized layers, %2 bits/param whole model, %3 MB on disk (codebooks: %4% of the quantized bits).</source>
        <translation>Voraussichtlich: &lt;b&gt;%1 Bits/Parameter&lt;/b&gt; in quantisierten Schichten, %2 Bits/Parameter im gesamten Modell, %3 MB auf der Festplatte (Codebücher: %4 % der quantisierten Bits).</translation>
    </message>
    <message>
        <source>Memory: about %1 needed, %2 available.</source>
        <translation>Speicher: etwa %1 benötigt, %2 verfügbar.</translation>
    </message>
    <message>
        <source>Does not fit in memory: about %1 needed, %2 available. %3</source>
        <translation>Passt nicht in den Speicher: etwa %1 benötigt, %2 verfügbar. %3</translation>
    </message>
    <message>
        <source>Cannot estimate: %1</source>
        <translation>Schätzung nicht möglich: %1</translation>
    </message>
    <message>
        <source>These settings cannot run on this model: %1</source>
        <translation>Diese Einstellungen lassen sich auf diesem Modell nicht ausführen: %1</translation>
    </message>
    <message>
        <source>The codebooks take %1% of the bits on a model this small: fewer bits per codebook (for example %2x8) leave more of the budget to the codes.</source>
        <translation>Die Codebücher belegen bei einem so kleinen Modell %1 % der Bits: Weniger Bits pro Codebuch (zum Beispiel %2x8) lassen mehr vom Budget für die Codes.</translation>
    </message>
    <message>
        <source>The codebooks take %1% of the bits on a model this small; AQLM pays off on larger models.</source>
        <translation>Die Codebücher belegen bei einem so kleinen Modell %1 % der Bits; AQLM lohnt sich bei größeren Modellen.</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatMarkdown</name>
    <message>
        <source>%1 tok/s · first token %2 ms</source>
        <translation>%1 Tok./s · erstes Token %2 ms</translation>
    </message>
    <message>
        <source> · %1/%2 tokens of context</source>
        <translation> · %1/%2 Tokens des Kontexts</translation>
    </message>
    <message>
        <source> · %1 tokens of context</source>
        <translation> · %1 Tokens des Kontexts</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>- Model: %1
</source>
        <translation>- Modell: %1
</translation>
    </message>
    <message>
        <source>- Side by side with: %1
</source>
        <translation>- Im Vergleich mit: %1
</translation>
    </message>
    <message>
        <source>- Mode: %1
</source>
        <translation>- Modus: %1
</translation>
    </message>
    <message>
        <source>continue the story</source>
        <translation>Geschichte fortsetzen</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>- Started: %1
</source>
        <translation>- Begonnen: %1
</translation>
    </message>
    <message>
        <source>- System prompt: %1
</source>
        <translation>- Systemprompt: %1
</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatPage</name>
    <message>
        <source>Memory: about %1 needed, %2 available.</source>
        <translation>Speicher: etwa %1 benötigt, %2 verfügbar.</translation>
    </message>
    <message>
        <source>The model library could not be opened, so there are no models to chat with.</source>
        <translation>Die Modellbibliothek konnte nicht geöffnet werden, daher stehen keine Modelle zum Chatten zur Verfügung.</translation>
    </message>
    <message>
        <source>Could not load %1: %2</source>
        <translation>%1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save the conversation as Markdown</source>
        <translation>Unterhaltung als Markdown speichern</translation>
    </message>
    <message>
        <source>Side by side with</source>
        <translation>Im Vergleich mit</translation>
    </message>
    <message>
        <source>Send the same prompt to a second model, e.g. the original and its compressed variant</source>
        <translation>Denselben Prompt an ein zweites Modell senden, z. B. an das Original und seine komprimierte Variante</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Continue the story</source>
        <translation>Geschichte fortsetzen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>System prompt (optional): applied through the model's chat template</source>
        <translation>Systemprompt (optional): wird über die Chatvorlage des Modells angewendet</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu generieren</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation>Letzte Antwort kopieren</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Remove every message of this conversation</source>
        <translation>Alle Nachrichten dieser Unterhaltung entfernen</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Start or steer the story; leave empty to simply continue it</source>
        <translation>Beginnen oder lenken Sie die Geschichte; leer lassen, um sie einfach fortzusetzen</translation>
    </message>
    <message>
        <source>Type a message</source>
        <translation>Nachricht eingeben</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>%1, last used %2</source>
        <translation>%1, zuletzt verwendet %2</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Chat template: %1</source>
        <translation>Chatvorlage: %1</translation>
    </message>
    <message>
        <source>Pick a model first.</source>
        <translation>Wählen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <source>Pick a different second model for side by side.</source>
        <translation>Wählen Sie für den Vergleich ein anderes zweites Modell.</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · gestoppt</translation>
    </message>
    <message numerus="yes">
        <source> · %n oldest turn(s) left out to fit the context</source>
        <translation>
            <numerusform> · %n älteste Runde ausgelassen, damit der Kontext ausreicht</numerusform>
            <numerusform> · %n älteste Runden ausgelassen, damit der Kontext ausreicht</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2 tok/s</source>
        <translation>%1 — %2 Tok./s</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The answer failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Answer copied.</source>
        <translation>Antwort kopiert.</translation>
    </message>
    <message>
        <source>Clear conversation</source>
        <translation>Unterhaltung leeren</translation>
    </message>
    <message>
        <source>Remove every message of this conversation?</source>
        <translation>Alle Nachrichten dieser Unterhaltung entfernen?</translation>
    </message>
    <message>
        <source>The conversation's model is no longer in the library.</source>
        <translation>Das Modell der Unterhaltung ist nicht mehr in der Bibliothek.</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Unterhaltung löschen</translation>
    </message>
    <message>
        <source>Delete "%1" and all its messages?</source>
        <translation>„%1“ und alle zugehörigen Nachrichten löschen?</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Unterhaltung exportieren</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Conversation saved to %1</source>
        <translation>Unterhaltung gespeichert unter %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Could not read the model library: %1</source>
        <translation>Die Modellbibliothek konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No models to chat with yet. Import one on the Library page (the example model stories260K writes short stories), then pick it here.</source>
        <translation>Noch keine Modelle zum Chatten. Importieren Sie eines auf der Seite „Bibliothek“ (das Beispielmodell stories260K schreibt kurze Geschichten) und wählen Sie es dann hier.</translation>
    </message>
    <message>
        <source>No models to chat with yet.</source>
        <translation>Noch keine Modelle zum Chatten.</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Show or hide the sampling settings</source>
        <translation>Sampling-Einstellungen ein- oder ausblenden</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatTranscript</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatWorker</name>
    <message>
        <source>No model is loaded for this answer.</source>
        <translation>Für diese Antwort ist kein Modell geladen.</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePage</name>
    <message>
        <source>size on disk (MB)</source>
        <translation>Größe auf der Festplatte (MB)</translation>
    </message>
    <message>
        <source>decode tokens/s</source>
        <translation>Decodierung Tokens/s</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG exportieren…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>SVG exportieren…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>Größe (MB)</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>Decodierung Tok./s</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>ΔPPL</source>
        <translation>ΔPPL</translation>
    </message>
    <message>
        <source>Δ%</source>
        <translation>Δ%</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Datensatz:</translation>
    </message>
    <message>
        <source>x axis:</source>
        <translation>x-Achse:</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG-Bild (*.svg)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
        <source>The model library could not be opened, so there is nothing to compare.</source>
        <translation>Die Modellbibliothek konnte nicht geöffnet werden, daher gibt es nichts zu vergleichen.</translation>
    </message>
    <message>
        <source>Could not read the library: %1</source>
        <translation>Die Bibliothek konnte nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (seq %2, %3 windows; %n model(s))</source>
        <translation>
            <numerusform>%1 (Seq. %2, %3 Fenster; %n Modell)</numerusform>
            <numerusform>%1 (Seq. %2, %3 Fenster; %n Modelle)</numerusform>
        </translation>
    </message>
    <message>
        <source>No compressed variants in the library yet: compress a model on the Compress page first.</source>
        <translation>Noch keine komprimierten Varianten in der Bibliothek: Komprimieren Sie zuerst ein Modell auf der Seite „Komprimieren“.</translation>
    </message>
    <message>
        <source>No perplexity evaluations of this model or its variants yet: run some on the Evaluate page.</source>
        <translation>Noch keine Perplexitätsauswertungen dieses Modells oder seiner Varianten: Führen Sie welche auf der Seite „Auswerten“ durch.</translation>
    </message>
    <message numerus="yes">
        <source>%n variant(s) not plotted: no perplexity on this dataset or no speed measurement (Evaluate page, Measure speed).</source>
        <translation>
            <numerusform>%n Variante nicht dargestellt: keine Perplexität für diesen Datensatz oder keine Geschwindigkeitsmessung (Seite „Auswerten“, „Geschwindigkeit messen“).</numerusform>
            <numerusform>%n Varianten nicht dargestellt: keine Perplexität für diesen Datensatz oder keine Geschwindigkeitsmessung (Seite „Auswerten“, „Geschwindigkeit messen“).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n variant(s) not plotted: no perplexity on this dataset.</source>
        <translation>
            <numerusform>%n Variante nicht dargestellt: keine Perplexität für diesen Datensatz.</numerusform>
            <numerusform>%n Varianten nicht dargestellt: keine Perplexität für diesen Datensatz.</numerusform>
        </translation>
    </message>
    <message>
        <source>The original model has no evaluation on this dataset, so there is no reference line.</source>
        <translation>Das Originalmodell wurde auf diesem Datensatz nicht ausgewertet, daher gibt es keine Referenzlinie.</translation>
    </message>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>On the Pareto front: no other variant is better on both axes.</source>
        <translation>Auf der Pareto-Front: Keine andere Variante ist auf beiden Achsen besser.</translation>
    </message>
    <message>
        <source>bits / parameter (quantized layers)</source>
        <translation>Bits / Parameter (quantisierte Schichten)</translation>
    </message>
    <message>
        <source>bits / parameter (whole model)</source>
        <translation>Bits / Parameter (gesamtes Modell)</translation>
    </message>
    <message>
        <source>Bits/param (quantized layers)</source>
        <translation>Bits/Param. (quantisierte Schichten)</translation>
    </message>
    <message>
        <source>Bits/param (whole model)</source>
        <translation>Bits/Param. (gesamtes Modell)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePlot</name>
    <message>
        <source>other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>bits per parameter (quantized layers)</source>
        <translation>Bits pro Parameter (quantisierte Schichten)</translation>
    </message>
    <message>
        <source>size on disk (MB)</source>
        <translation>Größe auf der Festplatte (MB)</translation>
    </message>
    <message>
        <source>decode tokens/s</source>
        <translation>Decodierung Tokens/s</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>Perplexity against cost</source>
        <translation>Perplexität im Verhältnis zum Aufwand</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>original %1: PPL %2</source>
        <translation>Original %1: PPL %2</translation>
    </message>
    <message>
        <source>AQLM Studio comparison</source>
        <translation>AQLM Studio – Vergleich</translation>
    </message>
    <message>
        <source>bits per parameter (whole model)</source>
        <translation>Bits pro Parameter (gesamtes Modell)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePoint</name>
    <message>
        <source>%1
%2 %3
Bits/param: %4 (quantized layers), %5 (whole model)
PPL: %6
Size: %7 MB
Decode: %8 tok/s</source>
        <translation>%1
%2 %3
Bits/Param.: %4 (quantisierte Schichten), %5 (gesamtes Modell)
PPL: %6
Größe: %7 MB
Decodierung: %8 Tok./s</translation>
    </message>
    <message>
        <source>Fine-tuned from: %1</source>
        <translation>Feinabgestimmt aus: %1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressPage</name>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Continue the cancelled or failed run from its last finished block.</source>
        <translation>Den abgebrochenen oder fehlgeschlagenen Lauf ab dem letzten abgeschlossenen Block fortsetzen.</translation>
    </message>
    <message>
        <source>Compressing…</source>
        <translation>Komprimierung läuft…</translation>
    </message>
    <message>
        <source>Compression finished: %1</source>
        <translation>Komprimierung abgeschlossen: %1</translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation>Komprimierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Compression cancelled</source>
        <translation>Komprimierung abgebrochen</translation>
    </message>
    <message>
        <source>compressing %1 into %2</source>
        <translation>%1 wird nach %2 komprimiert</translation>
    </message>
    <message>
        <source>cancelling after the current step…</source>
        <translation>Abbruch nach dem aktuellen Schritt…</translation>
    </message>
    <message>
        <source>resuming %1</source>
        <translation>%1 wird fortgesetzt</translation>
    </message>
    <message>
        <source>added to the library as a variant of %1</source>
        <translation>als Variante von %1 zur Bibliothek hinzugefügt</translation>
    </message>
    <message>
        <source>measuring perplexity on %1…</source>
        <translation>Perplexität auf %1 wird gemessen…</translation>
    </message>
    <message>
        <source>perplexity of the compressed model: %1</source>
        <translation>Perplexität des komprimierten Modells: %1</translation>
    </message>
    <message>
        <source>after compression: %1</source>
        <translation>nach der Komprimierung: %1</translation>
    </message>
    <message>
        <source>Compress the model with these settings.</source>
        <translation>Das Modell mit diesen Einstellungen komprimieren.</translation>
    </message>
    <message>
        <source>Cannot start yet:
%1</source>
        <translation>Noch kein Start möglich:
%1</translation>
    </message>
    <message>
        <source>Could not read the run's reports: %1</source>
        <translation>Die Berichte des Laufs konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>finished blocks restored from the library: %1</source>
        <translation>aus der Bibliothek wiederhergestellte abgeschlossene Blöcke: %1</translation>
    </message>
    <message>
        <source>the original model (the baseline)</source>
        <translation>dem Originalmodell (der Referenz)</translation>
    </message>
    <message>
        <source>the compressed model</source>
        <translation>dem komprimierten Modell</translation>
    </message>
    <message>
        <source>perplexity of the original model (baseline): %1</source>
        <translation>Perplexität des Originalmodells (Referenz): %1</translation>
    </message>
    <message>
        <source>evaluation done</source>
        <translation>Auswertung abgeschlossen</translation>
    </message>
    <message>
        <source>PV-Tuning after compression</source>
        <translation>PV-Tuning nach der Kompression</translation>
    </message>
    <message>
        <source>Fine-tune the compressed model against the original on the calibration text, codes included (PV-Tuning), into a second folder that becomes a variant of the compressed one.</source>
        <translation>Das komprimierte Modell auf dem Kalibrierungstext gegen das Original feinabstimmen, Codes eingeschlossen (PV-Tuning), in einen zweiten Ordner, der eine Variante des komprimierten Modells wird.</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>compression finished; PV-Tuning into %1</source>
        <translation>Kompression fertig; PV-Tuning nach %1</translation>
    </message>
    <message>
        <source>PV-Tuning…</source>
        <translation>PV-Tuning…</translation>
    </message>
    <message>
        <source>PV-Tuning: validation perplexity %1 → %2</source>
        <translation>PV-Tuning: Validierungs-Perplexität %1 → %2</translation>
    </message>
    <message>
        <source>PV-Tuning finished: %1</source>
        <translation>PV-Tuning fertig: %1</translation>
    </message>
    <message>
        <source>PV-Tuning failed: %1</source>
        <translation>PV-Tuning fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>PV-Tuning cancelled; Resume continues from its last checkpoint.</source>
        <translation>PV-Tuning abgebrochen; Fortsetzen macht beim letzten Checkpoint weiter.</translation>
    </message>
    <message>
        <source>PV-tuned model added to the library as a variant of %1</source>
        <translation>PV-getuntes Modell als Variante von %1 zur Bibliothek hinzugefügt</translation>
    </message>
    <message>
        <source>after PV-Tuning: %1</source>
        <translation>nach dem PV-Tuning: %1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressSettingsForm</name>
    <message>
        <source>llama2.c .bin or Hugging Face folder</source>
        <translation>llama2.c-.bin oder Hugging-Face-Ordner</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>Modellkontext</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Ausgabeordner:</translation>
    </message>
    <message>
        <source>Calibration text:</source>
        <translation>Kalibrierungstext:</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Voreinstellung:</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>Codebooks (M):</source>
        <translation>Codebücher (M):</translation>
    </message>
    <message>
        <source>Bits (per codebook or integer):</source>
        <translation>Bits (pro Codebuch bzw. Ganzzahl):</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>Gruppengröße:</translation>
    </message>
    <message>
        <source>Max epochs per layer:</source>
        <translation>Max. Epochen pro Schicht:</translation>
    </message>
    <message>
        <source>Fine-tune epochs per block:</source>
        <translation>Feinabstimmungsepochen pro Block:</translation>
    </message>
    <message>
        <source>Calibration samples:</source>
        <translation>Kalibrierungsstichproben:</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>Sequenzlänge:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Ordner auswählen</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Datei auswählen</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>Choose a model from the library</source>
        <translation>Modell aus der Bibliothek auswählen</translation>
    </message>
    <message>
        <source>Evaluate after compression</source>
        <translation>Nach der Komprimierung auswerten</translation>
    </message>
    <message>
        <source>Measure the perplexity of the compressed model and store it in the library.</source>
        <translation>Die Perplexität des komprimierten Modells messen und in der Bibliothek speichern.</translation>
    </message>
    <message>
        <source>UTF-8 validation text</source>
        <translation>UTF-8-Validierungstext</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Windows of the text to score; fewer is quicker but less precise.</source>
        <translation>Zu bewertende Fenster des Texts; weniger geht schneller, ist aber ungenauer.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <source>Evaluate on:</source>
        <translation>Auswerten auf:</translation>
    </message>
    <message>
        <source>Windows:</source>
        <translation>Fenster:</translation>
    </message>
    <message>
        <source>The library is empty</source>
        <translation>Die Bibliothek ist leer</translation>
    </message>
    <message>
        <source>UTF-8 text files, separated by ;</source>
        <translation>UTF-8-Textdateien, getrennt durch ;</translation>
    </message>
    <message>
        <source>Calibration samples are drawn from all of these texts together.</source>
        <translation>Die Kalibrierungsstichproben werden aus all diesen Texten gemeinsam gezogen.</translation>
    </message>
    <message>
        <source>Choose calibration texts</source>
        <translation>Kalibrierungstexte auswählen</translation>
    </message>
    <message>
        <source>Left empty: a new folder in the data folder's models folder, named after the model and the scheme.</source>
        <translation>Leer gelassen: ein neuer Ordner im Modellordner des Datenordners, benannt nach Modell und Schema.</translation>
    </message>
    <message>
        <source>a new folder in %1</source>
        <translation>ein neuer Ordner in %1</translation>
    </message>
    <message>
        <source>No such file or folder: %1</source>
        <translation>Datei oder Ordner nicht vorhanden: %1</translation>
    </message>
    <message>
        <source>Does not fit this model. %1</source>
        <translation>Passt nicht zu diesem Modell. %1</translation>
    </message>
    <message>
        <source>“%1” does not fit this model, so “%2” was chosen. %3</source>
        <translation>„%1“ passt nicht zu diesem Modell, daher wurde „%2“ gewählt. %3</translation>
    </message>
    <message>
        <source>Choose a model to compress.</source>
        <translation>Wählen Sie ein Modell zum Komprimieren.</translation>
    </message>
    <message>
        <source>Choose a validation text, or turn evaluation off.</source>
        <translation>Wählen Sie einen Validierungstext oder schalten Sie die Auswertung aus.</translation>
    </message>
    <message>
        <source>Validation text not found: %1</source>
        <translation>Validierungstext nicht gefunden: %1</translation>
    </message>
    <message>
        <source>The validation text %1 is empty.</source>
        <translation>Der Validierungstext %1 ist leer.</translation>
    </message>
    <message>
        <source>Cannot read the calibration text with this model's tokenizer: %1</source>
        <translation>Der Kalibrierungstext lässt sich mit dem Tokenizer dieses Modells nicht lesen: %1</translation>
    </message>
    <message>
        <source>Counting the tokens of the calibration text…</source>
        <translation>Die Tokens des Kalibrierungstexts werden gezählt…</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressionPreset</name>
    <message>
        <source>2-bit best quality 1x16 g8</source>
        <translation>2 Bit, beste Qualität 1x16 g8</translation>
    </message>
    <message>
        <source>2-bit fast on CPU 2x8 g8</source>
        <translation>2 Bit, schnell auf CPU 2x8 g8</translation>
    </message>
    <message>
        <source>3-bit 2x12 g8</source>
        <translation>3 Bit 2x12 g8</translation>
    </message>
    <message>
        <source>4-bit 2x15 g8</source>
        <translation>4 Bit 2x15 g8</translation>
    </message>
    <message>
        <source>~1-bit 1x8 g8</source>
        <translation>~1 Bit 1x8 g8</translation>
    </message>
    <message>
        <source>Tiny test 1x8 g4</source>
        <translation>Kleiner Test 1x8 g4</translation>
    </message>
    <message>
        <source>GPTQ 4-bit g128</source>
        <translation>GPTQ 4 Bit g128</translation>
    </message>
    <message>
        <source>RTN 4-bit g128</source>
        <translation>RTN 4 Bit g128</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EngineWorker</name>
    <message>
        <source>unknown error in the engine</source>
        <translation>unbekannter Fehler in der Engine</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EpochErrorPlot</name>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>relativer Fehler</translation>
    </message>
    <message>
        <source>Layer error per epoch</source>
        <translation>Schichtfehler pro Epoche</translation>
    </message>
    <message>
        <source>block %1 %2</source>
        <translation>Block %1 %2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EvaluatePage</name>
    <message>
        <source>Memory: about %1 needed (%2), %3 available.</source>
        <translation>Speicher: etwa %1 benötigt (%2), %3 verfügbar.</translation>
    </message>
    <message>
        <source>Does not fit in memory: about %1 needed (%2), %3 available. %4</source>
        <translation>Passt nicht in den Speicher: etwa %1 benötigt (%2), %3 verfügbar. %4</translation>
    </message>
    <message>
        <source>Check the models to evaluate; they run one after another.</source>
        <translation>Markieren Sie die auszuwertenden Modelle; sie werden nacheinander ausgeführt.</translation>
    </message>
    <message>
        <source>UTF-8 text file</source>
        <translation>UTF-8-Textdatei</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>Modellkontext</translation>
    </message>
    <message>
        <source>Window length in tokens; 0 uses the model's context.</source>
        <translation>Fensterlänge in Tokens; 0 verwendet den Kontext des Modells.</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Score only the first N windows for a quick look; 0 scores the whole text.</source>
        <translation>Für einen schnellen Überblick nur die ersten N Fenster bewerten; 0 bewertet den gesamten Text.</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <source>Measure speed</source>
        <translation>Geschwindigkeit messen</translation>
    </message>
    <message>
        <source>Prefill and decode tokens/s of the checked models on this machine (median of 3 runs).</source>
        <translation>Prefill- und Decodierungs-Tokens/s der markierten Modelle auf diesem Rechner (Median aus 3 Durchläufen).</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Text file:</source>
        <translation>Textdatei:</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>Sequenzlänge:</translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation>Max. Fenster:</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>Modelle:</translation>
    </message>
    <message>
        <source>Evaluation text</source>
        <translation>Auswertungstext</translation>
    </message>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation>Textdateien (*.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>The model library could not be opened: evaluations need it to choose models and store results.</source>
        <translation>Die Modellbibliothek konnte nicht geöffnet werden: Auswertungen benötigen sie, um Modelle auszuwählen und Ergebnisse zu speichern.</translation>
    </message>
    <message>
        <source>Could not read the library: %1</source>
        <translation>Die Bibliothek konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The model library is not open.</source>
        <translation>Die Modellbibliothek ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Check at least one model to evaluate.</source>
        <translation>Markieren Sie mindestens ein Modell zum Auswerten.</translation>
    </message>
    <message>
        <source>Choose a text file to evaluate on.</source>
        <translation>Wählen Sie eine Textdatei für die Auswertung.</translation>
    </message>
    <message>
        <source>%1: file not found</source>
        <translation>%1: Datei nicht gefunden</translation>
    </message>
    <message>
        <source>%1: not a readable file</source>
        <translation>%1: keine lesbare Datei</translation>
    </message>
    <message>
        <source>%1: the file is empty</source>
        <translation>%1: Die Datei ist leer</translation>
    </message>
    <message>
        <source>Check at least one model to measure.</source>
        <translation>Markieren Sie mindestens ein Modell zum Messen.</translation>
    </message>
    <message>
        <source>Measuring the speed of %1…</source>
        <translation>Geschwindigkeit von %1 wird gemessen…</translation>
    </message>
    <message>
        <source>Evaluating %1…</source>
        <translation>%1 wird ausgewertet…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>%1: could not store the result: %2</source>
        <translation>%1: Das Ergebnis konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>%1, seq %2, %3 windows, %4 predictions, mean NLL %5, %6 s</source>
        <translation>%1, Seq. %2, %3 Fenster, %4 Vorhersagen, mittlere NLL %5, %6 s</translation>
    </message>
    <message>
        <source>decode speed</source>
        <translation>Decodiergeschwindigkeit</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 Tok./s</translation>
    </message>
    <message>
        <source>prefill %1 tok/s; prompt %2, %3 new tokens; %4 threads (%5); %6</source>
        <translation>Prefill %1 Tok./s; Prompt %2, %3 neue Tokens; %4 Threads (%5); %6</translation>
    </message>
    <message>
        <source>Could not store the perplexity of %1: %2</source>
        <translation>Die Perplexität von %1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Could not store the speed of %1: %2</source>
        <translation>Die Geschwindigkeit von %1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>No models yet. Import one on the Library page (or compress one on the Compress page): it appears here, ready to measure its perplexity and speed.</source>
        <translation>Noch keine Modelle. Importieren Sie eines auf der Seite „Bibliothek“ (oder komprimieren Sie eines auf der Seite „Komprimieren“): Es erscheint hier, bereit zum Messen von Perplexität und Geschwindigkeit.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 could not be measured: %2</source>
        <translation>%1 konnte nicht gemessen werden: %2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneDialog</name>
    <message>
        <source>Fine-tune a compressed model</source>
        <translation>Komprimiertes Modell feinabstimmen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Continue the cancelled or failed run from its last checkpoint.</source>
        <translation>Den abgebrochenen oder fehlgeschlagenen Lauf ab seinem letzten Checkpoint fortsetzen.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Compressed model:</source>
        <translation>Komprimiertes Modell:</translation>
    </message>
    <message>
        <source>The original model the compressed one was made from: its outputs are what the compressed model learns to reproduce.</source>
        <translation>Das Originalmodell, aus dem das komprimierte gemacht wurde: Seine Ausgaben lernt das komprimierte Modell nachzubilden.</translation>
    </message>
    <message>
        <source>Original (teacher):</source>
        <translation>Original (Lehrer):</translation>
    </message>
    <message>
        <source>a plain-text file, e.g. the TinyStories training text</source>
        <translation>eine Textdatei, z. B. der TinyStories-Trainingstext</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the fine-tuning text</source>
        <translation>Den Feinabstimmungstext wählen</translation>
    </message>
    <message>
        <source>Fine-tuning text</source>
        <translation>Feinabstimmungstext</translation>
    </message>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation>Textdateien (*.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Fine-tuning text:</source>
        <translation>Feinabstimmungstext:</translation>
    </message>
    <message>
        <source>PV-Tuning (codes and codebooks)</source>
        <translation>PV-Tuning (Codes und Codebücher)</translation>
    </message>
    <message>
        <source>Global fine-tuning (codebooks only)</source>
        <translation>Globale Feinabstimmung (nur Codebücher)</translation>
    </message>
    <message>
        <source>PV-Tuning also changes the discrete codes and usually gains more; global fine-tuning keeps the codes and trains codebooks, scales and norms.</source>
        <translation>PV-Tuning ändert auch die diskreten Codes und bringt meist mehr; die globale Feinabstimmung behält die Codes und trainiert Codebücher, Skalen und Normen.</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>Modus:</translation>
    </message>
    <message>
        <source>Optimizer steps; each sees the tokens per step set under Advanced.</source>
        <translation>Optimiererschritte; jeder sieht die unter „Erweitert“ eingestellten Tokens pro Schritt.</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Ausgabeordner:</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <source>Training tokens per step, in whole windows of the sequence length.</source>
        <translation>Trainings-Tokens pro Schritt, in ganzen Fenstern der Sequenzlänge.</translation>
    </message>
    <message>
        <source>Tokens per step:</source>
        <translation>Tokens pro Schritt:</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>Modellkontext</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>Sequenzlänge:</translation>
    </message>
    <message>
        <source>Adam learning rate of codebooks, scales and norms.</source>
        <translation>Adam-Lernrate für Codebücher, Skalen und Normen.</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Lernrate:</translation>
    </message>
    <message>
        <source>Fraction of each layer's code groups re-encoded per step (PV-Tuning).</source>
        <translation>Anteil der Codegruppen jeder Schicht, die pro Schritt neu kodiert werden (PV-Tuning).</translation>
    </message>
    <message>
        <source>Codes updated per step:</source>
        <translation>Pro Schritt erneuerte Codes:</translation>
    </message>
    <message>
        <source>Step size of the continuous weights the new codes are chosen from (PV-Tuning).</source>
        <translation>Schrittweite der kontinuierlichen Gewichte, aus denen die neuen Codes gewählt werden (PV-Tuning).</translation>
    </message>
    <message>
        <source>Code learning rate:</source>
        <translation>Code-Lernrate:</translation>
    </message>
    <message>
        <source>Steps between validation measurements; the best state is kept and a checkpoint written, so a cancelled run resumes from there.</source>
        <translation>Schritte zwischen Validierungsmessungen; der beste Zustand wird behalten und ein Checkpoint geschrieben, sodass ein abgebrochener Lauf dort fortgesetzt wird.</translation>
    </message>
    <message>
        <source>Validate every (steps):</source>
        <translation>Validieren alle (Schritte):</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>The compressed model cannot be read: %1</source>
        <translation>Das komprimierte Modell kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Choose the original model (the teacher).</source>
        <translation>Das Originalmodell (den Lehrer) wählen.</translation>
    </message>
    <message>
        <source>The original has another architecture than the compressed model; choose the model it was compressed from.</source>
        <translation>Das Original hat eine andere Architektur als das komprimierte Modell; das Modell wählen, aus dem es komprimiert wurde.</translation>
    </message>
    <message>
        <source>The original cannot be read: %1</source>
        <translation>Das Original kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Choose a fine-tuning text.</source>
        <translation>Einen Feinabstimmungstext wählen.</translation>
    </message>
    <message>
        <source>The fine-tuning text %1 does not exist or cannot be read.</source>
        <translation>Der Feinabstimmungstext %1 existiert nicht oder ist nicht lesbar.</translation>
    </message>
    <message>
        <source>The fine-tuning text %1 is empty.</source>
        <translation>Der Feinabstimmungstext %1 ist leer.</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>Einen Ausgabeordner wählen.</translation>
    </message>
    <message>
        <source>The output folder %1 already exists and is not empty; choose a new folder.</source>
        <translation>Der Ausgabeordner %1 existiert bereits und ist nicht leer; einen neuen Ordner wählen.</translation>
    </message>
    <message>
        <source>The output folder must not be the compressed model's own folder.</source>
        <translation>Der Ausgabeordner darf nicht der Ordner des komprimierten Modells sein.</translation>
    </message>
    <message>
        <source>; %1 available</source>
        <translation>; %1 verfügbar</translation>
    </message>
    <message>
        <source>Fine-tuning would need more memory than is available.</source>
        <translation>Die Feinabstimmung bräuchte mehr Speicher als verfügbar ist.</translation>
    </message>
    <message>
        <source>Try: %1.</source>
        <translation>Versuchen Sie: %1.</translation>
    </message>
    <message>
        <source>known once both models can be read</source>
        <translation>bekannt, sobald beide Modelle gelesen werden können</translation>
    </message>
    <message>
        <source>Fine-tune with these settings.</source>
        <translation>Mit diesen Einstellungen feinabstimmen.</translation>
    </message>
    <message>
        <source>Cannot start yet:
%1</source>
        <translation>Noch nicht startbar:
%1</translation>
    </message>
    <message>
        <source>Waiting for the running job to finish…</source>
        <translation>Warten, bis der laufende Auftrag fertig ist…</translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation>Abbruch nach dem aktuellen Schritt…</translation>
    </message>
    <message>
        <source>Fine-tuning finished: %1</source>
        <translation>Feinabstimmung fertig: %1</translation>
    </message>
    <message>
        <source>Fine-tuning failed: %1</source>
        <translation>Feinabstimmung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Fine-tuning failed</source>
        <translation>Feinabstimmung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled. The last checkpoint is kept: Resume continues from it.</source>
        <translation>Abgebrochen. Der letzte Checkpoint bleibt erhalten: Fortsetzen macht dort weiter.</translation>
    </message>
    <message>
        <source>Fine-tuning cancelled</source>
        <translation>Feinabstimmung abgebrochen</translation>
    </message>
    <message>
        <source>Added to the library as a variant of %1.</source>
        <translation>Als Variante von %1 zur Bibliothek hinzugefügt.</translation>
    </message>
    <message>
        <source>The result could not be added to the library: %1</source>
        <translation>Das Ergebnis konnte nicht zur Bibliothek hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>about %1 (models and training state %2, activations and runtime %3)</source>
        <translation>etwa %1 (Modelle und Trainingszustand %2, Aktivierungen und Laufzeit %3)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneLossPlot</name>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>block (fine-tune epochs)</source>
        <translation>Block (Feinabstimmungsepochen)</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Block fine-tuning loss</source>
        <translation>Verlust der Block-Feinabstimmung</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneMonitor</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>Nicht gestartet.</translation>
    </message>
    <message>
        <source>KD loss per step</source>
        <translation>KD-Verlust pro Schritt</translation>
    </message>
    <message>
        <source>Validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>Codes changed per step</source>
        <translation>Geänderte Codes pro Schritt</translation>
    </message>
    <message>
        <source>% of code groups</source>
        <translation>% der Codegruppen</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Loading the models and the fine-tuning text…</source>
        <translation>Modelle und Feinabstimmungstext werden geladen…</translation>
    </message>
    <message>
        <source>Step %1 of %2 · KD loss %3 · about %4 left</source>
        <translation>Schritt %1 von %2 · KD-Verlust %3 · noch etwa %4</translation>
    </message>
    <message>
        <source>Finished: validation perplexity %1 → %2 (best at step %3), %4.</source>
        <translation>Fertig: Validierungs-Perplexität %1 → %2 (am besten bei Schritt %3), %4.</translation>
    </message>
    <message>
        <source>KL(teacher || student)</source>
        <translation>KL(Lehrer || Schüler)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::InterruptedRuns</name>
    <message>
        <source>#%1 %2 of %3 into %4 (%5)</source>
        <translation>#%1 %2 von %3 nach %4 (%5)</translation>
    </message>
    <message>
        <source>Unfinished compressions</source>
        <translation>Nicht abgeschlossene Komprimierungen</translation>
    </message>
    <message>
        <source>These compressions were interrupted when AQLM Studio last closed:

%1

Resume them? Finished blocks are kept. No marks them cancelled.</source>
        <translation>Diese Komprimierungen wurden beim letzten Schließen von AQLM Studio unterbrochen:

%1

Sollen sie fortgesetzt werden? Abgeschlossene Blöcke bleiben erhalten. Mit „Nein“ werden sie als abgebrochen markiert.</translation>
    </message>
    <message>
        <source>Some runs could not be resumed:
%1</source>
        <translation>Einige Läufe konnten nicht fortgesetzt werden:
%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::JobLibraryRecorder</name>
    <message>
        <source>Could not record the compression run in the library: %1</source>
        <translation>Der Kompressionslauf konnte nicht in der Bibliothek festgehalten werden: %1</translation>
    </message>
    <message>
        <source>the library could not be written</source>
        <translation>die Bibliothek konnte nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LayerErrorBarPlot</name>
    <message>
        <source>block</source>
        <translation>Block</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>relativer Fehler</translation>
    </message>
    <message>
        <source>Final error per layer</source>
        <translation>Endgültiger Fehler pro Schicht</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryPage</name>
    <message>
        <source>Filter by name, architecture, format or scheme</source>
        <translation>Nach Name, Architektur, Format oder Schema filtern</translation>
    </message>
    <message>
        <source>Select a model to see its details.</source>
        <translation>Wählen Sie ein Modell aus, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>Model imported</source>
        <translation>Modell importiert</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 was not imported:
%2</source>
        <translation>%1 wurde nicht importiert:
%2</translation>
    </message>
    <message>
        <source>Loading models…</source>
        <translation>Modelle werden geladen…</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>Datei importieren…</translation>
    </message>
    <message>
        <source>Add a llama2.c checkpoint or a model file to the library</source>
        <translation>Einen llama2.c-Checkpoint oder eine Modelldatei zur Bibliothek hinzufügen</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>Ordner importieren…</translation>
    </message>
    <message>
        <source>Add a Hugging Face folder, or every model found below a folder</source>
        <translation>Einen Hugging-Face-Ordner oder alle Modelle unterhalb eines Ordners hinzufügen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Reveal on disk</source>
        <translation>Im Dateisystem anzeigen</translation>
    </message>
    <message>
        <source>Show run plots</source>
        <translation>Laufdiagramme anzeigen</translation>
    </message>
    <message>
        <source>Plot the stored reports of the run that made or used this model</source>
        <translation>Die gespeicherten Berichte des Laufs darstellen, der dieses Modell erzeugt oder verwendet hat</translation>
    </message>
    <message>
        <source>Compress…</source>
        <translation>Komprimieren…</translation>
    </message>
    <message>
        <source>Open the Compress page with this model</source>
        <translation>Die Seite „Komprimieren“ mit diesem Modell öffnen</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Modelldatei importieren</translation>
    </message>
    <message>
        <source>Models (*.bin *.safetensors);;All files (*)</source>
        <translation>Modelle (*.bin *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import models from a folder</source>
        <translation>Modelle aus einem Ordner importieren</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Searching %1 for models…</source>
        <translation>%1 wird nach Modellen durchsucht…</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) imported from %1.</source>
        <translation>
            <numerusform>%n Modell aus %1 importiert.</numerusform>
            <numerusform>%n Modelle aus %1 importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped:</source>
        <translation>
            <numerusform>%n Datei übersprungen:</numerusform>
            <numerusform>%n Dateien übersprungen:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) imported</source>
        <translation>
            <numerusform>%n Modell importiert</numerusform>
            <numerusform>%n Modelle importiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder scanned</source>
        <translation>Ordner durchsucht</translation>
    </message>
    <message>
        <source>Remove %1 from the library?</source>
        <translation>%1 aus der Bibliothek entfernen?</translation>
    </message>
    <message numerus="yes">
        <source>Its %n variant(s) and all runs and evaluations of it leave the library too (their files stay).</source>
        <translation>
            <numerusform>Seine %n Variante sowie alle Läufe und Auswertungen werden ebenfalls aus der Bibliothek entfernt (die Dateien bleiben erhalten).</numerusform>
            <numerusform>Seine %n Varianten sowie alle Läufe und Auswertungen werden ebenfalls aus der Bibliothek entfernt (die Dateien bleiben erhalten).</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>Modell löschen</translation>
    </message>
    <message>
        <source>Also delete %1 from disk</source>
        <translation>%1 auch von der Festplatte löschen</translation>
    </message>
    <message>
        <source>%1 left the library but could not be deleted from disk.</source>
        <translation>%1 wurde aus der Bibliothek entfernt, konnte aber nicht von der Festplatte gelöscht werden.</translation>
    </message>
    <message>
        <source>%1 deleted</source>
        <translation>%1 gelöscht</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1 existiert nicht mehr.</translation>
    </message>
    <message>
        <source>Run plots</source>
        <translation>Laufdiagramme</translation>
    </message>
    <message>
        <source>No compression run of this model is stored.</source>
        <translation>Für dieses Modell ist kein Komprimierungslauf gespeichert.</translation>
    </message>
    <message>
        <source>Run #%1 %2 (%3) into %4</source>
        <translation>Lauf #%1 %2 (%3) nach %4</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Lauf:</translation>
    </message>
    <message>
        <source>Compression run #%1</source>
        <translation>Komprimierungslauf #%1</translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation>%1 konnte nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to AQLM Studio&lt;/h2&gt;&lt;p&gt;AQLM Studio compresses Llama-family language models to 2–4 bits per weight with AQLM (and the GPTQ and RTN baselines), shows how each layer fares while it works, measures perplexity and speed, compares the results and lets you chat with them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Start by importing a model:&lt;/b&gt; a llama2.c &lt;tt&gt;.bin&lt;/tt&gt; checkpoint or a Hugging Face folder (&lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;*.safetensors&lt;/tt&gt; and the tokenizer). Models you compress are added here automatically.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Where models come from:&lt;/b&gt; the Hugging Face Hub (for example TinyLlama or Llama 2 in safetensors form) or the llama2.c TinyStories checkpoints (stories15M, stories260K). Download them with your browser or the Hugging Face tools, then import the file or folder.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Willkommen bei AQLM Studio&lt;/h2&gt;&lt;p&gt;AQLM Studio komprimiert Sprachmodelle der Llama-Familie mit AQLM (und den Vergleichsverfahren GPTQ und RTN) auf 2–4 Bits pro Gewicht, zeigt dabei, wie es jeder Schicht ergeht, misst Perplexität und Geschwindigkeit, vergleicht die Ergebnisse und lässt Sie mit ihnen chatten.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Importieren Sie zuerst ein Modell:&lt;/b&gt; einen llama2.c-Checkpoint (&lt;tt&gt;.bin&lt;/tt&gt;) oder einen Hugging-Face-Ordner (&lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;*.safetensors&lt;/tt&gt; und der Tokenizer). Komprimierte Modelle erscheinen hier automatisch.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Woher Modelle kommen:&lt;/b&gt; vom Hugging Face Hub (zum Beispiel TinyLlama oder Llama 2 im safetensors-Format) oder die TinyStories-Checkpoints von llama2.c (stories15M, stories260K). Laden Sie sie mit dem Browser oder den Hugging-Face-Werkzeugen herunter und importieren Sie dann die Datei oder den Ordner.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Import a model file…</source>
        <translation>Modelldatei importieren…</translation>
    </message>
    <message>
        <source>Import a model folder…</source>
        <translation>Modellordner importieren…</translation>
    </message>
    <message>
        <source>Add the example model (stories260K)</source>
        <translation>Beispielmodell hinzufügen (stories260K)</translation>
    </message>
    <message>
        <source>Fine-tune…</source>
        <translation>Feinabstimmen…</translation>
    </message>
    <message>
        <source>Fine-tune this compressed model against its original (PV-Tuning), into a new variant</source>
        <translation>Dieses komprimierte Modell gegen sein Original feinabstimmen (PV-Tuning), als neue Variante</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryService</name>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryTreeModel</name>
    <message>
        <source>Perplexity %1 ± %2 on %3 (%4 windows of %5 tokens)</source>
        <translation>Perplexität %1 ± %2 auf %3 (%4 Fenster zu %5 Tokens)</translation>
    </message>
    <message>
        <source>%1 bits per parameter in the quantized layers, %2 over the whole model</source>
        <translation>%1 Bits pro Parameter in den quantisierten Schichten, %2 im gesamten Modell</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Format / scheme</source>
        <translation>Format / Schema</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>Größe auf der Festplatte</translation>
    </message>
    <message>
        <source>Best PPL</source>
        <translation>Beste PPL</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Bits per parameter over the whole model (embeddings and norms included)</source>
        <translation>Bits pro Parameter über das gesamte Modell (Embeddings und Normen eingeschlossen)</translation>
    </message>
    <message>
        <source>Bits per parameter over the quantized layers only (the number AQLM papers report)</source>
        <translation>Bits pro Parameter nur über die quantisierten Schichten (die Zahl aus den AQLM-Veröffentlichungen)</translation>
    </message>
    <message>
        <source>Bits/param
(whole model)</source>
        <translation>Bits/Param.
(gesamtes Modell)</translation>
    </message>
    <message>
        <source>Bits/param
(quantized layers)</source>
        <translation>Bits/Param.
(quantisierte Schichten)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::MainWindow</name>
    <message>
        <source>AQLM Studio</source>
        <translation>AQLM Studio</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>Komprimieren</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>Run #%1: %2</source>
        <translation>Lauf #%1: %2</translation>
    </message>
    <message>
        <source>Compressed model added to the library; perplexity %1</source>
        <translation>Komprimiertes Modell zur Bibliothek hinzugefügt; Perplexität %1</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Settings saved; %1 threads. Data folder and language apply after restart.</source>
        <translation>Einstellungen gespeichert; %1 Threads. Datenordner und Sprache werden nach einem Neustart wirksam.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Dokumentation</translation>
    </message>
    <message>
        <source>The documentation is not installed.</source>
        <translation>Die Dokumentation ist nicht installiert.</translation>
    </message>
    <message>
        <source>&amp;About AQLM Studio</source>
        <translation>Ü&amp;ber AQLM Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;AQLM Studio %1&lt;/h3&gt;&lt;p&gt;Compresses Llama-family models with Additive Quantization (AQLM), compares the results and chats with them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Engine:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Instruction set of the AQLM kernels:&lt;/b&gt; %3&lt;br&gt;&lt;b&gt;CUDA:&lt;/b&gt; %4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;AQLM Studio %1&lt;/h3&gt;&lt;p&gt;Komprimiert Modelle der Llama-Familie mit additiver Quantisierung (AQLM), vergleicht die Ergebnisse und chattet mit ihnen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Engine:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Befehlssatz der AQLM-Kernel:&lt;/b&gt; %3&lt;br&gt;&lt;b&gt;CUDA:&lt;/b&gt; %4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>available</source>
        <translation>verfügbar</translation>
    </message>
    <message>
        <source>not available (CPU only)</source>
        <translation>nicht verfügbar (nur CPU)</translation>
    </message>
    <message>
        <source>About AQLM Studio</source>
        <translation>Über AQLM Studio</translation>
    </message>
    <message numerus="yes">
        <source>Measuring the perplexity of %n compressed model(s) whose evaluation was interrupted</source>
        <translation>
            <numerusform>Perplexität von %n komprimiertem Modell wird gemessen, dessen Auswertung unterbrochen wurde</numerusform>
            <numerusform>Perplexität von %n komprimierten Modellen wird gemessen, deren Auswertung unterbrochen wurde</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelDetails</name>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>Dimensionen</translation>
    </message>
    <message>
        <source>dim %1, hidden %2, %3 layers, %4 heads, %5 KV heads</source>
        <translation>Dim. %1, verborgen %2, %3 Schichten, %4 Heads, %5 KV-Heads</translation>
    </message>
    <message>
        <source>Vocabulary / context</source>
        <translation>Vokabular / Kontext</translation>
    </message>
    <message>
        <source>Weights dtype</source>
        <translation>Datentyp der Gewichte</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>Größe auf der Festplatte</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Compressed variant</source>
        <translation>Komprimierte Variante</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Basismodell</translation>
    </message>
    <message>
        <source>Method / scheme</source>
        <translation>Methode / Schema</translation>
    </message>
    <message>
        <source>Bits per parameter</source>
        <translation>Bits pro Parameter</translation>
    </message>
    <message>
        <source>%1 in quantized layers, %2 over the whole model</source>
        <translation>%1 in quantisierten Schichten, %2 im gesamten Modell</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>Auswertungen</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>Noch keine.</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>± std. err.</source>
        <translation>± Std.-Fehler</translation>
    </message>
    <message>
        <source>Seq len</source>
        <translation>Seq.-Länge</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Compression runs</source>
        <translation>Komprimierungsläufe</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>created %1, started %2, finished %3; %4 s, peak %5 MB</source>
        <translation>erstellt %1, gestartet %2, beendet %3; %4 s, Spitze %5 MB</translation>
    </message>
    <message>
        <source>output: %1</source>
        <translation>Ausgabe: %1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelImporter</name>
    <message>
        <source>Could not add %1 to the library: %2</source>
        <translation>%1 konnte nicht zur Bibliothek hinzugefügt werden: %2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelPicker</name>
    <message>
        <source>Original models</source>
        <translation>Originalmodelle</translation>
    </message>
    <message>
        <source>Compressed models</source>
        <translation>Komprimierte Modelle</translation>
    </message>
    <message>
        <source>%1 (%2 %3, %4 bits)</source>
        <translation>%1 (%2 %3, %4 Bit)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::PerplexityPlot</name>
    <message>
        <source>windows scored</source>
        <translation>bewertete Fenster</translation>
    </message>
    <message>
        <source>running perplexity</source>
        <translation>laufende Perplexität</translation>
    </message>
    <message>
        <source>Perplexity while evaluating</source>
        <translation>Perplexität während der Auswertung</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::RunMonitor</name>
    <message>
        <source>The run's log appears here.</source>
        <translation>Hier erscheint das Protokoll des Laufs.</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Leerlauf</translation>
    </message>
    <message>
        <source>%1, block %2 of %3</source>
        <translation>%1, Block %2 von %3</translation>
    </message>
    <message>
        <source>block %1 %2: relative error %3, %4 bits, %5 epochs, %6 s</source>
        <translation>Block %1 %2: relativer Fehler %3, %4 Bit, %5 Epochen, %6 s</translation>
    </message>
    <message>
        <source>block %1 fine-tune epoch %2: train %3, validation %4</source>
        <translation>Block %1, Feinabstimmungsepoche %2: Training %3, Validierung %4</translation>
    </message>
    <message>
        <source>block %1 of %2 done in %3 s</source>
        <translation>Block %1 von %2 fertig in %3 s</translation>
    </message>
    <message>
        <source>, held-out perplexity %1</source>
        <translation>, Perplexität auf zurückgehaltenen Daten %1</translation>
    </message>
    <message>
        <source>Finished: %1 bits/param (quantized layers), %2 bits/param whole model, %3 MB in %4</source>
        <translation>Fertig: %1 Bits/Parameter (quantisierte Schichten), %2 Bits/Parameter im gesamten Modell, %3 MB in %4</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled: finished blocks are kept; Resume continues from there.</source>
        <translation>Abgebrochen: Abgeschlossene Blöcke bleiben erhalten; „Fortsetzen“ macht dort weiter.</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Wird gestartet</translation>
    </message>
    <message>
        <source>  ·  layer %1/%2</source>
        <translation>  ·  Schicht %1/%2</translation>
    </message>
    <message>
        <source>  ·  ETA %1</source>
        <translation>  ·  Restzeit %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Measuring the perplexity of %1  ·  window %2/%3</source>
        <translation>Perplexität von %1 wird gemessen  ·  Fenster %2/%3</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::RunPlotsView</name>
    <message>
        <source>run %1 (%2) of %3 into %4</source>
        <translation>Lauf %1 (%2) von %3 nach %4</translation>
    </message>
    <message>
        <source>status: %1</source>
        <translation>Status: %1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SamplingPanel</name>
    <message>
        <source>Balanced</source>
        <translation>Ausgewogen</translation>
    </message>
    <message>
        <source>Greedy (deterministic)</source>
        <translation>Greedy (deterministisch)</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>Kreativ</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (greedy).</source>
        <translation>0 wählt jedes Mal das wahrscheinlichste Token (greedy).</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>1.0 turns nucleus sampling off.</source>
        <translation>1,0 schaltet Nucleus-Sampling aus.</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>Max. neue Tokens</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Zufalls-Seed</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SettingsCheck</name>
    <message>
        <source>GPTQ and RTN store 2 to 8 bits per weight, not %1.</source>
        <translation>GPTQ und RTN speichern 2 bis 8 Bits pro Gewicht, nicht %1.</translation>
    </message>
    <message>
        <source>Group size %1 does not divide the layer width %2 of this model (widths %3 and %4). Group sizes that fit: %5.</source>
        <translation>Die Gruppengröße %1 teilt die Schichtbreite %2 dieses Modells nicht (Breiten %3 und %4). Passende Gruppengrößen: %5.</translation>
    </message>
    <message>
        <source>Choose one or more calibration texts (UTF-8 text files).</source>
        <translation>Wählen Sie einen oder mehrere Kalibrierungstexte (UTF-8-Textdateien).</translation>
    </message>
    <message>
        <source>Calibration text not found: %1</source>
        <translation>Kalibrierungstext nicht gefunden: %1</translation>
    </message>
    <message>
        <source>Not a text file: %1</source>
        <translation>Keine Textdatei: %1</translation>
    </message>
    <message>
        <source>Cannot read the calibration text %1</source>
        <translation>Der Kalibrierungstext %1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>The calibration text %1 is empty.</source>
        <translation>Der Kalibrierungstext %1 ist leer.</translation>
    </message>
    <message>
        <source>The calibration text is too short: at most %1 tokens, and one window needs %2. Add more text or choose a shorter sequence length.</source>
        <translation>Der Kalibrierungstext ist zu kurz: höchstens %1 Tokens, ein Fenster braucht %2. Fügen Sie mehr Text hinzu oder wählen Sie eine kürzere Sequenzlänge.</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>Wählen Sie einen Ausgabeordner.</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <source>%1 already holds files. Choose a new or empty folder.</source>
        <translation>%1 enthält bereits Dateien. Wählen Sie einen neuen oder leeren Ordner.</translation>
    </message>
    <message>
        <source>Cannot write into %1.</source>
        <translation>In %1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Cannot create %1: %2 is not a writable folder.</source>
        <translation>%1 kann nicht angelegt werden: %2 ist kein beschreibbarer Ordner.</translation>
    </message>
    <message>
        <source>The calibration text is too short: %1 tokens with this model's tokenizer, and one window needs %2. Add more text or choose a shorter sequence length.</source>
        <translation>Der Kalibrierungstext ist zu kurz: %1 Tokens mit dem Tokenizer dieses Modells, ein Fenster braucht %2. Fügen Sie mehr Text hinzu oder wählen Sie eine kürzere Sequenzlänge.</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>all cores (%1)</source>
        <translation>alle Kerne (%1)</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA-GPU</translation>
    </message>
    <message>
        <source>This engine was built without CUDA or no GPU is present.</source>
        <translation>Diese Engine wurde ohne CUDA erstellt oder es ist keine GPU vorhanden.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>Holds the model library and compressed models; a new folder is used after restart.</source>
        <translation>Enthält die Modellbibliothek und die komprimierten Modelle; ein neuer Ordner wird nach einem Neustart verwendet.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The language takes effect after restart.</source>
        <translation>Die Sprache wird nach einem Neustart wirksam.</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Engine</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SpeedWorker</name>
    <message>
        <source>unknown error in the engine</source>
        <translation>unbekannter Fehler in der Engine</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::TimeEstimateLabel</name>
    <message>
        <source>Time on this computer: measuring shortly…</source>
        <translation>Zeit auf diesem Computer: wird gleich gemessen…</translation>
    </message>
    <message>
        <source>Time on this computer: measuring…</source>
        <translation>Zeit auf diesem Computer: wird gemessen…</translation>
    </message>
    <message>
        <source>Time on this computer: could not be measured (%1).</source>
        <translation>Zeit auf diesem Computer: konnte nicht gemessen werden (%1).</translation>
    </message>
    <message>
        <source> (at most %1 if no layer converges before %2 epochs)</source>
        <translation> (höchstens %1, falls keine Schicht vor %2 Epochen konvergiert)</translation>
    </message>
    <message>
        <source>Quantizing the layers %1, calibration passes %2, block fine-tuning %3.</source>
        <translation>Quantisieren der Schichten %1, Kalibrierungsdurchläufe %2, Block-Feinabstimmung %3.</translation>
    </message>
    <message>
        <source>Measured in %1 on this computer: the layer quantizer on slices of each layer width and one block of this model's shape, scaled to the whole model. Layers usually stop after %2 epochs.</source>
        <translation>In %1 auf diesem Computer gemessen: der Schicht-Quantisierer auf Ausschnitten jeder Schichtbreite und ein Block in der Form dieses Modells, hochgerechnet auf das ganze Modell. Schichten enden meist nach %2 Epochen.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 Tage</translation>
    </message>
    <message>
        <source>Time on this computer: about %1 (threads: %2)</source>
        <translation>Zeit auf diesem Computer: etwa %1 (Threads: %2)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Save a PNG of the window and quit.</source>
        <translation>Ein PNG des Fensters speichern und beenden.</translation>
    </message>
    <message>
        <source>Model to compress.</source>
        <translation>Zu komprimierendes Modell.</translation>
    </message>
    <message>
        <source>Calibration text.</source>
        <translation>Kalibrierungstext.</translation>
    </message>
    <message>
        <source>Preset name.</source>
        <translation>Name der Voreinstellung.</translation>
    </message>
    <message>
        <source>Output folder.</source>
        <translation>Ausgabeordner.</translation>
    </message>
    <message>
        <source>Start right away.</source>
        <translation>Sofort starten.</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>Modellbibliothek</translation>
    </message>
    <message>
        <source>The model library could not be opened:
%1</source>
        <translation>Die Modellbibliothek konnte nicht geöffnet werden:
%1</translation>
    </message>
</context>
</TS>
