#include "widgets/chat/chat_page.h"

#include "engine/api/memory_estimate.h"

#include "widgets/chat/chat_controller.h"
#include "widgets/chat/chat_markdown.h"
#include "widgets/chat/chat_roles.h"
#include "widgets/chat/chat_transcript.h"
#include "widgets/chat/model_picker.h"
#include "widgets/chat/sampling_panel.h"
#include "widgets/core/library_service.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QResizeEvent>
#include <QToolButton>
#include <QScrollArea>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QVBoxLayout>

namespace aqlm::ui {

namespace {
constexpr int kChatIdRole = Qt::UserRole;
}  // namespace

ChatPage::ChatPage(LibraryService* library, QWidget* parent)
    : QWidget(parent), m_library(library), m_conversation(library) {
    if (!m_library) {
        auto* layout = new QVBoxLayout(this);
        layout->addWidget(new QLabel(tr("The model library could not be opened, so there are no models to chat with."), this));
        return;
    }
    m_controller = new ChatController(this);
    buildUi();
    connect(m_controller, &ChatController::modelLoaded, this, &ChatPage::onModelLoaded);
    connect(m_controller, &ChatController::loadFailed, this, [this](int slot, const QString& path, const QString& message) {
        m_notice->setText(tr("Could not load %1: %2").arg(path, message));
        Q_EMIT statusMessage(m_notice->text());
        Q_UNUSED(slot);
    });
    connect(m_controller, &ChatController::textArrived, this,
            [this](int slot, const QString& text) { m_transcripts[slot]->appendToAnswer(text); });
    connect(m_controller, &ChatController::answerFinished, this, &ChatPage::onAnswerFinished);
    connect(m_controller, &ChatController::answerFailed, this, &ChatPage::onAnswerFailed);
    connect(m_controller, &ChatController::busyChanged, this, &ChatPage::onBusyChanged);
    connect(m_library, &LibraryService::changed, this, &ChatPage::refreshFromLibrary);
    refreshFromLibrary();
    updateModeTexts();
    updateControls();
}

ChatPage::~ChatPage() {
    // Stop and join the engine thread before the widgets its results would go to disappear.
    delete m_controller;
}

void ChatPage::buildUi() {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildConversationColumn());
    splitter->addWidget(buildChatColumn());
    splitter->addWidget(buildSamplingColumn());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({220, 800, 260});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    connectUi();
}

// Left: the stored conversations and what can be done with them.
QWidget* ChatPage::buildConversationColumn() {
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Conversations"), left));
    m_chatList = new QListWidget(left);
    leftLayout->addWidget(m_chatList, 1);
    auto* chatButtons = new QGridLayout;  // two by two: the column stays narrow on small screens
    m_newChat = new QPushButton(tr("New"), left);
    m_renameChat = new QPushButton(tr("Rename…"), left);
    m_deleteChat = new QPushButton(tr("Delete"), left);
    m_exportChat = new QPushButton(tr("Export…"), left);
    m_exportChat->setToolTip(tr("Save the conversation as Markdown"));
    int index = 0;
    for (QPushButton* b : {m_newChat, m_renameChat, m_deleteChat, m_exportChat}) {
        chatButtons->addWidget(b, index / 2, index % 2);
        ++index;
    }
    leftLayout->addLayout(chatButtons);
    return left;
}

// Centre: models, mode, system prompt, transcripts, input.
QWidget* ChatPage::buildChatColumn() {
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->addLayout(buildModelRow(centre));
    m_notice = new QLabel(centre);
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("color: #8a6d00;"));
    centreLayout->addWidget(m_notice);
    m_systemPrompt = new QPlainTextEdit(centre);
    m_systemPrompt->setPlaceholderText(tr("System prompt (optional): applied through the model's chat template"));
    // At least its own minimum (taller with CJK fonts), so the field is never cut off.
    m_systemPrompt->setMaximumHeight(std::max(56, m_systemPrompt->minimumSizeHint().height()));
    centreLayout->addWidget(m_systemPrompt);
    centreLayout->addWidget(buildTranscripts(centre), 1);
    m_input = new QPlainTextEdit(centre);
    m_input->setMaximumHeight(90);
    centreLayout->addWidget(m_input);
    centreLayout->addLayout(buildActionRow(centre));
    return centre;
}

QHBoxLayout* ChatPage::buildModelRow(QWidget* parent) {
    auto* modelRow = new QHBoxLayout;
    m_pickers[0] = new ModelPicker(parent);
    m_pickers[1] = new ModelPicker(parent);
    m_sideBySide = new QCheckBox(tr("Side by side with"), parent);
    m_sideBySide->setToolTip(tr("Send the same prompt to a second model, e.g. the original and its compressed variant"));
    m_mode = new QComboBox(parent);
    m_mode->addItem(tr("Chat"));
    m_mode->addItem(tr("Continue the story"));
    modelRow->addWidget(new QLabel(tr("Model"), parent));
    modelRow->addWidget(m_pickers[0], 1);
    modelRow->addWidget(m_sideBySide);
    modelRow->addWidget(m_pickers[1], 1);
    modelRow->addWidget(new QLabel(tr("Mode"), parent));
    modelRow->addWidget(m_mode);
    return modelRow;
}

// One transcript per column; the second shows only side by side.
QWidget* ChatPage::buildTranscripts(QWidget* parent) {
    auto* columns = new QSplitter(Qt::Horizontal, parent);
    m_panes = columns;
    for (int c = 0; c < kColumns; ++c) {
        m_transcripts[c] = new ChatTranscript(columns);
        columns->addWidget(m_transcripts[c]);
    }
    m_transcripts[1]->hide();
    m_pickers[1]->setEnabled(false);
    return columns;
}

QHBoxLayout* ChatPage::buildActionRow(QWidget* parent) {
    auto* buttons = new QHBoxLayout;
    m_send = new QPushButton(tr("Send"), parent);
    m_send->setDefault(true);
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop = new QPushButton(tr("Stop"), parent);
    m_regenerate = new QPushButton(tr("Regenerate"), parent);
    m_copy = new QPushButton(tr("Copy"), parent);
    m_copy->setToolTip(tr("Copy the last answer"));
    m_clear = new QPushButton(tr("Clear"), parent);
    m_clear->setToolTip(tr("Remove every message of this conversation"));
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_regenerate);
    buttons->addStretch(1);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_clear);
    m_samplingToggle = new QToolButton(parent);
    m_samplingToggle->setText(tr("Sampling"));
    m_samplingToggle->setToolTip(tr("Show or hide the sampling settings"));
    m_samplingToggle->setCheckable(true);
    m_samplingToggle->setChecked(true);
    connect(m_samplingToggle, &QToolButton::toggled, this, [this](bool on) {
        if (m_samplingColumn) m_samplingColumn->setVisible(on);
    });
    buttons->addWidget(m_samplingToggle);
    return buttons;
}

// Right: the sampling settings.
QWidget* ChatPage::buildSamplingColumn() {
    m_sampling = new SamplingPanel(this);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_sampling);
    rightLayout->addStretch(1);
    // Scrolls rather than widening the page on small screens; the Sampling button hides it.
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(right);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_samplingColumn = scroll;
    return scroll;
}

Qt::Orientation ChatPage::paneOrientation() const { return m_panes ? m_panes->orientation() : Qt::Horizontal; }

void ChatPage::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // Below this width two answers next to each other are too narrow to read: stack them.
    constexpr int kSideBySideWidth = 1100;
    if (m_panes) m_panes->setOrientation(width() < kSideBySideWidth ? Qt::Vertical : Qt::Horizontal);
}

void ChatPage::connectUi() {
    connect(m_pickers[0], &ModelPicker::modelChosen, this, [this] { modelChosen(0); });
    connect(m_pickers[1], &ModelPicker::modelChosen, this, [this] { modelChosen(1); });
    connect(m_sideBySide, &QCheckBox::toggled, this, &ChatPage::setSideBySide);
    connect(m_mode, qOverload<int>(&QComboBox::activated), this, [this] {
        m_modeChosenByUser = true;
        updateModeTexts();
    });
    connect(m_send, &QPushButton::clicked, this, &ChatPage::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatPage::stop);
    connect(m_regenerate, &QPushButton::clicked, this, &ChatPage::regenerate);
    connect(m_copy, &QPushButton::clicked, this, &ChatPage::copyLastAnswer);
    connect(m_clear, &QPushButton::clicked, this, &ChatPage::clearConversation);
    connect(m_newChat, &QPushButton::clicked, this, &ChatPage::newConversation);
    connect(m_renameChat, &QPushButton::clicked, this, &ChatPage::renameConversation);
    connect(m_deleteChat, &QPushButton::clicked, this, &ChatPage::deleteConversation);
    connect(m_exportChat, &QPushButton::clicked, this, &ChatPage::exportMarkdown);
    connect(m_chatList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (!m_refreshingList && item) openConversation(item->data(kChatIdRole).toLongLong());
    });
}

aqlm::ChatMode ChatPage::mode() const {
    return m_mode && m_mode->currentIndex() == 1 ? aqlm::ChatMode::Continue : aqlm::ChatMode::Chat;
}

void ChatPage::setMode(aqlm::ChatMode mode) {
    m_mode->setCurrentIndex(mode == aqlm::ChatMode::Continue ? 1 : 0);
    updateModeTexts();
}

bool ChatPage::isSideBySide() const { return m_sideBySide && m_sideBySide->isChecked(); }

void ChatPage::setSideBySide(bool on) {
    if (m_sideBySide->isChecked() != on) {
        m_sideBySide->setChecked(on);  // comes back here through toggled()
        return;
    }
    m_pickers[1]->setEnabled(on && !isBusy());
    m_transcripts[1]->setVisible(on);
    if (on && m_pickers[1]->currentModelId() > 0) modelChosen(1);
    if (!on) m_controller->unloadModel(1);
    showMessages();
}

bool ChatPage::isBusy() const { return m_controller && m_controller->isBusy(); }

void ChatPage::updateModeTexts() {
    const bool story = mode() == aqlm::ChatMode::Continue;
    m_send->setText(story ? tr("Continue") : tr("Send"));
    m_input->setPlaceholderText(story ? tr("Start or steer the story; leave empty to simply continue it")
                                      : tr("Type a message"));
}

void ChatPage::refreshFromLibrary() {
    if (isBusy()) return;  // pickers are locked while answering; the next refresh catches up
    std::array<qint64, kColumns> chosen{};
    for (int column = 0; column < kColumns; ++column) chosen[column] = m_pickers[column]->currentModelId();
    m_library->guarded(tr("Could not read the model library: %1"), [this] {
        for (ModelPicker* picker : m_pickers) picker->refresh(m_library->db());
    });
    // A chosen model that left the library (deleted): the pane follows the picker's new choice.
    for (int column = 0; column < kColumns; ++column) {
        if (m_pickers[column]->currentModelId() == chosen[column]) continue;
        m_transcripts[column]->setTitle(m_pickers[column]->currentModelName());
        modelChosen(column);
    }
    // The first visit, before any model: say where they come from instead of an empty picker.
    if (m_pickers[0]->count() == 0)
        m_notice->setText(tr("No models to chat with yet. Import one on the Library page (the example model "
                             "stories260K writes short stories), then pick it here."));
    else if (m_notice->text().startsWith(tr("No models to chat with yet.")))
        m_notice->clear();
    refreshConversationList();
}

void ChatPage::refreshConversationList() {
    std::vector<aqlm::ChatRecord> chats;
    m_library->guarded(tr("Could not read the model library: %1"), [&] { chats = m_library->db().listChats(); });
    m_refreshingList = true;
    m_chatList->clear();
    for (const aqlm::ChatRecord& chat : chats) {
        auto* item = new QListWidgetItem(chat.title.empty() ? tr("Untitled") : QString::fromStdString(chat.title));
        item->setData(kChatIdRole, qint64(chat.id));
        item->setToolTip(tr("%1, last used %2")
                             .arg(m_conversation.modelName(chat.modelId), QDateTime::fromSecsSinceEpoch(chat.updatedAt).toString()));
        m_chatList->addItem(item);
        if (chat.id == currentChatId()) m_chatList->setCurrentItem(item);
    }
    m_refreshingList = false;
}

void ChatPage::modelChosen(int column) {
    const QString path = m_pickers[column]->currentModelPath();
    if (path.isEmpty()) return;
    m_transcripts[column]->setAnswerName(m_pickers[column]->currentModelName());
    m_transcripts[column]->setTitle(m_pickers[column]->currentModelName());
    if (column == 0) m_sampling->setModelPath(path);
    if (column == 1 && !isSideBySide()) return;
    m_notice->setText(tr("Loading %1…").arg(m_pickers[column]->currentModelName()));
    m_controller->loadModel(column, path);
}

void ChatPage::onModelLoaded(int slot, const ChatModelSummary& summary) {
    if (slot == 0) {
        // A fresh conversation follows the model: completion models continue text, chat models chat.
        const bool fresh = m_conversation.messages().empty();
        if (fresh && !m_modeChosenByUser)
            setMode(summary.hasChatTemplate ? aqlm::ChatMode::Chat : aqlm::ChatMode::Continue);
        const QString how = summary.notice.isEmpty() ? tr("Chat template: %1").arg(summary.templateFamily) : summary.notice;
        m_notice->setText(how + QLatin1Char(' ') +
                          tr("Memory: about %1 needed, %2 available.")
                              .arg(QString::fromStdString(aqlm::formatBytes(summary.memoryNeeded)),
                                   QString::fromStdString(aqlm::formatBytes(summary.memoryAvailable))));
    }
    m_transcripts[slot]->setToolTip(summary.kernel);
    Q_EMIT modelReady(slot, summary);
}

std::optional<qint64> ChatPage::secondModelId() const {
    if (!isSideBySide() || m_pickers[1]->currentModelId() <= 0) return std::nullopt;
    return m_pickers[1]->currentModelId();
}

void ChatPage::showMessages() {
    if (!m_transcripts[0]) return;
    const std::vector<aqlm::MessageRecord> messages = m_conversation.messages();
    for (int c = 0; c < kColumns; ++c) m_transcripts[c]->setEntries(m_conversation.transcriptEntries(c, messages));
    updateControls();
}

bool ChatPage::ensureChat(const QString& firstText) {
    ChatSetup setup;
    setup.modelId = m_pickers[0]->currentModelId();
    setup.modelName = m_pickers[0]->currentModelName();
    setup.secondModelId = secondModelId();
    setup.systemPrompt = m_systemPrompt->toPlainText();
    setup.mode = mode();
    return m_conversation.ensure(setup, firstText);  // a refusal is in the status bar already
}

void ChatPage::send() {
    if (!m_library || isBusy()) return;
    if (m_pickers[0]->currentModelId() <= 0) {
        Q_EMIT statusMessage(tr("Pick a model first."));
        return;
    }
    if (isSideBySide() && (m_pickers[1]->currentModelId() <= 0 ||
                           m_pickers[1]->currentModelId() == m_pickers[0]->currentModelId())) {
        Q_EMIT statusMessage(tr("Pick a different second model for side by side."));
        return;
    }
    const QString text = m_input->toPlainText();
    if (mode() == aqlm::ChatMode::Chat && text.trimmed().isEmpty()) return;
    if (!ensureChat(text)) return;
    // Not stored: the text stays in the input box and nothing is asked.
    if (!text.isEmpty() && !m_conversation.addUserMessage(text)) return;
    m_input->clear();
    showMessages();
    startAnswers(false);
}

void ChatPage::regenerate() {
    if (!m_conversation.isOpen() || isBusy()) return;
    if (!m_conversation.lastIsAnswer()) return;
    if (!ensureChat({})) return;
    startAnswers(true);
}

void ChatPage::startAnswers(bool regenerate) {
    const std::vector<aqlm::ChatPrompt> prompts = m_conversation.beginAnswers(activeColumns(), regenerate);
    // Both columns get the same seed so the comparison is fair.
    const aqlm::SamplingParams sampling = m_sampling->params();
    const int maxNewTokens = m_sampling->maxNewTokens();
    for (int c = 0; c < int(prompts.size()); ++c) {
        if (regenerate) m_transcripts[c]->removeLastAnswer();
        m_answerModel[c] = m_pickers[c]->currentModelId();
        m_transcripts[c]->beginAnswer();
        m_controller->generate(c, prompts[c], sampling, maxNewTokens);
    }
    updateControls();
}

void ChatPage::stop() {
    if (m_controller) m_controller->stop();
}

void ChatPage::onAnswerFinished(int slot, const QString& text, const aqlm::ChatAnswerStats& stats) {
    QString line = answerStatsLine(stats.generation.decodeTokensPerSecond, stats.generation.timeToFirstTokenMs,
                                   stats.contextUsed, stats.contextLength, QString::fromStdString(stats.kernel));
    if (stats.generation.stopReason == "cancelled") line += tr(" · stopped");
    if (stats.droppedTurns > 0) line += tr(" · %n oldest turn(s) left out to fit the context", nullptr, stats.droppedTurns);
    m_transcripts[slot]->finishAnswer(text, line);
    m_transcripts[slot]->setTitle(tr("%1 — %2 tok/s")
                                      .arg(m_conversation.modelName(m_answerModel[slot]))
                                      .arg(stats.generation.decodeTokensPerSecond, 0, 'f', 1));
    if (!m_conversation.isOpen()) return;
    aqlm::MessageRecord answer;
    answer.content = text.toStdString();
    answer.modelId = m_answerModel[slot];
    answer.tokensPerSecond = stats.generation.decodeTokensPerSecond;
    answer.firstTokenMs = stats.generation.timeToFirstTokenMs;
    answer.tokens = stats.generation.generatedTokens;
    answer.contextUsed = stats.contextUsed;
    answer.kernel = stats.kernel;
    m_conversation.recordAnswer(slot, answer);
}

void ChatPage::onAnswerFailed(int slot, const QString& message) {
    m_transcripts[slot]->finishAnswer(m_transcripts[slot]->lastAnswer(), tr("Failed: %1").arg(message));
    Q_EMIT statusMessage(tr("The answer failed: %1").arg(message));
}

void ChatPage::onBusyChanged(bool busy) {
    if (!busy) {
        m_conversation.answersEnded();
        refreshConversationList();
        m_library->notifyChanged();
        Q_EMIT answersFinished();
    }
    updateControls();
}

void ChatPage::updateControls() {
    if (!m_send) return;
    const bool busy = isBusy();
    const bool hasChat = m_conversation.isOpen();
    const bool lastIsAnswer = hasChat && !busy && m_conversation.lastIsAnswer();
    m_send->setEnabled(!busy);
    m_stop->setEnabled(busy);
    m_regenerate->setEnabled(!busy && lastIsAnswer);
    m_clear->setEnabled(!busy && hasChat);
    m_copy->setEnabled(!m_transcripts[0]->lastAnswer().isEmpty());
    for (QWidget* w : std::initializer_list<QWidget*>{m_chatList, m_pickers[0], m_sideBySide, m_mode, m_newChat,
                                                      m_renameChat, m_deleteChat, m_systemPrompt})
        w->setEnabled(!busy);
    m_pickers[1]->setEnabled(!busy && isSideBySide());
    m_renameChat->setEnabled(!busy && hasChat);
    m_deleteChat->setEnabled(!busy && hasChat);
    m_exportChat->setEnabled(hasChat);
}

void ChatPage::copyLastAnswer() {
    QString text = m_transcripts[0]->lastAnswer();
    if (isSideBySide() && !m_transcripts[1]->lastAnswer().isEmpty())
        text = m_transcripts[0]->title() + QStringLiteral(":\n") + text + QStringLiteral("\n\n") +
               m_transcripts[1]->title() + QStringLiteral(":\n") + m_transcripts[1]->lastAnswer();
    QApplication::clipboard()->setText(text);
    Q_EMIT statusMessage(tr("Answer copied."));
}

void ChatPage::clearConversation() {
    if (!m_conversation.isOpen() || isBusy()) return;
    if (QMessageBox::question(this, tr("Clear conversation"), tr("Remove every message of this conversation?")) !=
        QMessageBox::Yes)
        return;
    clearCurrentConversation();
}

bool ChatPage::clearCurrentConversation() {
    if (!m_conversation.isOpen() || isBusy()) return false;
    const bool cleared = m_conversation.clear();
    showMessages();
    return cleared;
}

void ChatPage::newConversation() {
    if (isBusy()) return;
    m_conversation.reset();
    m_modeChosenByUser = false;
    m_systemPrompt->clear();
    m_chatList->setCurrentItem(nullptr);
    showMessages();
    modelChosen(0);  // re-applies the model's default mode once it reports back
}

bool ChatPage::openConversation(qint64 chatId) {
    if (!m_library || isBusy()) return false;
    if (!m_conversation.open(chatId)) return false;
    const aqlm::ChatRecord chat = *m_conversation.chat();
    m_modeChosenByUser = true;  // the conversation's own mode wins over the model's default
    setMode(aqlm::parseChatMode(chat.mode));
    m_systemPrompt->setPlainText(QString::fromStdString(chat.systemPrompt));
    if (m_pickers[0]->currentModelId() != chat.modelId && !m_pickers[0]->selectModel(chat.modelId))
        Q_EMIT statusMessage(tr("The conversation's model is no longer in the library."));
    const bool sideBySide = chat.secondModelId && m_pickers[1]->selectModel(*chat.secondModelId);
    setSideBySide(sideBySide);  // shows the messages
    m_refreshingList = true;
    for (int i = 0; i < m_chatList->count(); ++i)
        if (m_chatList->item(i)->data(kChatIdRole).toLongLong() == chatId) m_chatList->setCurrentRow(i);
    m_refreshingList = false;
    return true;
}

void ChatPage::renameConversation() {
    if (!m_conversation.isOpen()) return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title"), QLineEdit::Normal,
                                                QString::fromStdString(m_conversation.chat()->title), &ok);
    if (ok) renameCurrentConversation(title);
}

bool ChatPage::renameCurrentConversation(const QString& title) {
    if (!m_conversation.rename(title)) return false;
    refreshConversationList();
    return true;
}

void ChatPage::deleteConversation() {
    if (!m_conversation.isOpen() || isBusy()) return;
    const QString title = QString::fromStdString(m_conversation.chat()->title);
    if (QMessageBox::question(this, tr("Delete conversation"), tr("Delete \"%1\" and all its messages?").arg(title)) !=
        QMessageBox::Yes)
        return;
    deleteCurrentConversation();
}

bool ChatPage::deleteCurrentConversation() {
    if (!m_conversation.isOpen() || isBusy()) return false;
    const bool deleted = m_conversation.remove();  // refused: the conversation stays open
    showMessages();
    refreshConversationList();
    return deleted;
}

void ChatPage::exportMarkdown() {
    if (!m_conversation.isOpen()) return;
    const QString suggested = QString::fromStdString(m_conversation.chat()->title).replace(QLatin1Char('/'), QLatin1Char('-')) +
                              QStringLiteral(".md");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export conversation"), suggested, tr("Markdown (*.md)"));
    if (path.isEmpty()) return;
    if (exportMarkdownTo(path)) Q_EMIT statusMessage(tr("Conversation saved to %1").arg(path));
}

bool ChatPage::exportMarkdownTo(const QString& path) {
    if (!m_conversation.isOpen()) return false;
    const QString markdown = chatToMarkdown(*m_conversation.chat(), m_conversation.messages(),
                                            [this](qint64 id) { return m_conversation.modelName(id); });
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit()) {
        Q_EMIT statusMessage(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

}  // namespace aqlm::ui
