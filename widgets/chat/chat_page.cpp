#include "widgets/chat/chat_page.h"

#include "widgets/chat/chat_controller.h"
#include "widgets/chat/chat_markdown.h"
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

QString titleFrom(const QString& text) {
    QString title = text.simplified();
    if (title.size() > 48) title = title.left(47) + QChar(0x2026);
    return title;
}
}  // namespace

ChatPage::ChatPage(LibraryService* library, QWidget* parent) : QWidget(parent), m_library(library) {
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
    // Left: conversations.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Conversations"), left));
    m_chatList = new QListWidget(left);
    leftLayout->addWidget(m_chatList, 1);
    auto* chatButtons = new QHBoxLayout;
    m_newChat = new QPushButton(tr("New"), left);
    m_renameChat = new QPushButton(tr("Rename…"), left);
    m_deleteChat = new QPushButton(tr("Delete"), left);
    m_exportChat = new QPushButton(tr("Export…"), left);
    m_exportChat->setToolTip(tr("Save the conversation as Markdown"));
    for (QPushButton* b : {m_newChat, m_renameChat, m_deleteChat, m_exportChat}) chatButtons->addWidget(b);
    leftLayout->addLayout(chatButtons);

    // Centre: models, mode, system prompt, transcripts, input.
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    auto* modelRow = new QHBoxLayout;
    m_pickers[0] = new ModelPicker(centre);
    m_pickers[1] = new ModelPicker(centre);
    m_sideBySide = new QCheckBox(tr("Side by side with"), centre);
    m_sideBySide->setToolTip(tr("Send the same prompt to a second model, e.g. the original and its compressed variant"));
    m_mode = new QComboBox(centre);
    m_mode->addItem(tr("Chat"));
    m_mode->addItem(tr("Continue the story"));
    modelRow->addWidget(new QLabel(tr("Model"), centre));
    modelRow->addWidget(m_pickers[0], 1);
    modelRow->addWidget(m_sideBySide);
    modelRow->addWidget(m_pickers[1], 1);
    modelRow->addWidget(new QLabel(tr("Mode"), centre));
    modelRow->addWidget(m_mode);
    centreLayout->addLayout(modelRow);
    m_notice = new QLabel(centre);
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("color: #8a6d00;"));
    centreLayout->addWidget(m_notice);
    m_systemPrompt = new QPlainTextEdit(centre);
    m_systemPrompt->setPlaceholderText(tr("System prompt (optional): applied through the model's chat template"));
    m_systemPrompt->setMaximumHeight(56);
    centreLayout->addWidget(m_systemPrompt);
    auto* columns = new QSplitter(Qt::Horizontal, centre);
    for (int c = 0; c < kColumns; ++c) {
        m_transcripts[c] = new ChatTranscript(columns);
        columns->addWidget(m_transcripts[c]);
    }
    m_transcripts[1]->hide();
    m_pickers[1]->setEnabled(false);
    centreLayout->addWidget(columns, 1);
    m_input = new QPlainTextEdit(centre);
    m_input->setMaximumHeight(90);
    centreLayout->addWidget(m_input);
    auto* buttons = new QHBoxLayout;
    m_send = new QPushButton(tr("Send"), centre);
    m_send->setDefault(true);
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop = new QPushButton(tr("Stop"), centre);
    m_regenerate = new QPushButton(tr("Regenerate"), centre);
    m_copy = new QPushButton(tr("Copy"), centre);
    m_copy->setToolTip(tr("Copy the last answer"));
    m_clear = new QPushButton(tr("Clear"), centre);
    m_clear->setToolTip(tr("Remove every message of this conversation"));
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_regenerate);
    buttons->addStretch(1);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_clear);
    centreLayout->addLayout(buttons);

    m_sampling = new SamplingPanel(this);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_sampling);
    rightLayout->addStretch(1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(centre);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({220, 800, 260});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

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
    for (ModelPicker* picker : m_pickers) picker->refresh(m_library->db());
    refreshConversationList();
}

void ChatPage::refreshConversationList() {
    m_refreshingList = true;
    m_chatList->clear();
    for (const aqlm::ChatRecord& chat : m_library->db().listChats()) {
        auto* item = new QListWidgetItem(chat.title.empty() ? tr("Untitled") : QString::fromStdString(chat.title));
        item->setData(kChatIdRole, qint64(chat.id));
        item->setToolTip(tr("%1, last used %2")
                             .arg(modelName(chat.modelId), QDateTime::fromSecsSinceEpoch(chat.updatedAt).toString()));
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
        const bool fresh = !m_chat || m_library->db().listMessages(m_chat->id).empty();
        if (fresh && !m_modeChosenByUser)
            setMode(summary.hasChatTemplate ? aqlm::ChatMode::Chat : aqlm::ChatMode::Continue);
        m_notice->setText(summary.notice.isEmpty() ? tr("Chat template: %1").arg(summary.templateFamily) : summary.notice);
    }
    m_transcripts[slot]->setToolTip(summary.kernel);
    Q_EMIT modelReady(slot, summary);
}

std::optional<qint64> ChatPage::secondModelId() const {
    if (!isSideBySide() || m_pickers[1]->currentModelId() <= 0) return std::nullopt;
    return m_pickers[1]->currentModelId();
}

bool ChatPage::belongsToColumn(const aqlm::MessageRecord& m, int column) const {
    const std::optional<int64_t> second = m_chat ? m_chat->secondModelId : std::nullopt;
    const bool isSecond = second && m.modelId == second;
    return column == 1 ? isSecond : !isSecond;
}

std::vector<aqlm::ChatTurn> ChatPage::turnsFor(int column, const std::vector<aqlm::MessageRecord>& messages) const {
    std::vector<aqlm::ChatTurn> turns;
    for (const aqlm::MessageRecord& m : messages) {
        if (m.role == "user") turns.push_back({aqlm::ChatRole::User, m.content});
        else if (m.role == "assistant" && belongsToColumn(m, column)) turns.push_back({aqlm::ChatRole::Assistant, m.content});
    }
    return turns;
}

QString ChatPage::modelName(qint64 modelId) const {
    if (!m_library) return {};
    const auto model = m_library->db().findModel(modelId);
    return model ? QString::fromStdString(model->name) : tr("(removed model)");
}

QString ChatPage::statsLineFor(const aqlm::MessageRecord& m) const {
    if (m.role != "assistant" || (m.tokens == 0 && m.tokensPerSecond == 0)) return {};
    qint64 context = 0;
    if (m.modelId)
        if (const auto model = m_library->db().findModel(*m.modelId)) context = model->context;
    return answerStatsLine(m.tokensPerSecond, m.firstTokenMs, m.contextUsed, context, QString::fromStdString(m.kernel));
}

void ChatPage::showMessages() {
    if (!m_transcripts[0]) return;
    const std::vector<aqlm::MessageRecord> messages =
        m_chat ? m_library->db().listMessages(m_chat->id) : std::vector<aqlm::MessageRecord>{};
    for (int c = 0; c < kColumns; ++c) {
        QVector<ChatTranscript::Entry> entries;
        for (const aqlm::MessageRecord& m : messages) {
            if (m.role == "user") entries.push_back({true, QString::fromStdString(m.content), {}});
            else if (m.role == "assistant" && belongsToColumn(m, c))
                entries.push_back({false, QString::fromStdString(m.content), statsLineFor(m)});
        }
        m_transcripts[c]->setEntries(entries);
    }
    updateControls();
}

bool ChatPage::ensureChat(const QString& firstText) {
    aqlm::ChatRecord wanted = m_chat.value_or(aqlm::ChatRecord{});
    wanted.modelId = m_pickers[0]->currentModelId();
    wanted.secondModelId = secondModelId();
    wanted.systemPrompt = m_systemPrompt->toPlainText().toStdString();
    wanted.mode = aqlm::chatModeName(mode());
    try {
        if (!m_chat) {
            wanted.title = titleFrom(firstText.isEmpty() ? tr("Story with %1").arg(m_pickers[0]->currentModelName())
                                                         : firstText).toStdString();
            wanted.id = m_library->db().createChat(wanted);
        } else if (wanted.modelId != m_chat->modelId || wanted.secondModelId != m_chat->secondModelId ||
                   wanted.systemPrompt != m_chat->systemPrompt || wanted.mode != m_chat->mode) {
            m_library->db().updateChat(wanted);
        }
        m_chat = m_library->db().findChat(wanted.id);
        return bool(m_chat);
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(tr("Could not save the conversation: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
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
    if (!text.isEmpty()) {
        aqlm::MessageRecord user;
        user.chatId = m_chat->id;
        user.role = "user";
        user.content = text.toStdString();
        m_library->db().addMessage(user);
    }
    m_input->clear();
    showMessages();
    startAnswers(false);
}

void ChatPage::regenerate() {
    if (!m_chat || isBusy()) return;
    const auto messages = m_library->db().listMessages(m_chat->id);
    if (messages.empty() || messages.back().role != "assistant") return;
    if (!ensureChat({})) return;
    startAnswers(true);
}

void ChatPage::startAnswers(bool regenerate) {
    std::vector<aqlm::MessageRecord> messages = m_library->db().listMessages(m_chat->id);
    m_regenerating = regenerate;
    // Both columns get the same seed so the comparison is fair.
    const aqlm::SamplingParams sampling = m_sampling->params();
    const int maxNewTokens = m_sampling->maxNewTokens();
    aqlm::ChatPrompt prompt;
    prompt.systemPrompt = m_chat->systemPrompt;
    prompt.mode = aqlm::parseChatMode(m_chat->mode);
    for (int c = 0; c < activeColumns(); ++c) {
        std::vector<aqlm::MessageRecord> history = messages;
        m_replacedModel[c].reset();
        if (regenerate) {
            // Leave out the answer being replaced (this column's newest, after the last user turn).
            for (auto it = history.rbegin(); it != history.rend() && it->role != "user"; ++it)
                if (it->role == "assistant" && belongsToColumn(*it, c)) {
                    m_replacedModel[c] = it->modelId;
                    history.erase(std::next(it).base());
                    break;
                }
            m_transcripts[c]->removeLastAnswer();
        }
        prompt.turns = turnsFor(c, history);
        m_answerModel[c] = m_pickers[c]->currentModelId();
        m_transcripts[c]->beginAnswer();
        m_controller->generate(c, prompt, sampling, maxNewTokens);
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
                                      .arg(modelName(m_answerModel[slot]))
                                      .arg(stats.generation.decodeTokensPerSecond, 0, 'f', 1));
    if (!m_chat) return;
    aqlm::MessageRecord answer;
    answer.chatId = m_chat->id;
    answer.role = "assistant";
    answer.content = text.toStdString();
    answer.modelId = m_answerModel[slot];
    answer.tokensPerSecond = stats.generation.decodeTokensPerSecond;
    answer.firstTokenMs = stats.generation.timeToFirstTokenMs;
    answer.tokens = stats.generation.generatedTokens;
    answer.contextUsed = stats.contextUsed;
    answer.kernel = stats.kernel;
    try {
        // A column that had no answer to replace (side by side switched on since) gets a new one.
        if (!m_regenerating || !m_replacedModel[slot] ||
            !m_library->db().replaceLastAssistantMessage(m_chat->id, m_replacedModel[slot], answer))
            m_library->db().addMessage(answer);
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(tr("Could not save the answer: %1").arg(QString::fromUtf8(e.what())));
    }
}

void ChatPage::onAnswerFailed(int slot, const QString& message) {
    m_transcripts[slot]->finishAnswer(m_transcripts[slot]->lastAnswer(), tr("Failed: %1").arg(message));
    Q_EMIT statusMessage(tr("The answer failed: %1").arg(message));
}

void ChatPage::onBusyChanged(bool busy) {
    if (!busy) {
        m_regenerating = false;
        refreshConversationList();
        m_library->notifyChanged();
        Q_EMIT answersFinished();
    }
    updateControls();
}

void ChatPage::updateControls() {
    if (!m_send) return;
    const bool busy = isBusy();
    const bool hasChat = bool(m_chat);
    bool lastIsAnswer = false;
    if (hasChat && !busy) {
        const auto messages = m_library->db().listMessages(m_chat->id);
        lastIsAnswer = !messages.empty() && messages.back().role == "assistant";
    }
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
    if (!m_chat || isBusy()) return;
    if (QMessageBox::question(this, tr("Clear conversation"), tr("Remove every message of this conversation?")) !=
        QMessageBox::Yes)
        return;
    m_library->db().clearMessages(m_chat->id);
    showMessages();
}

void ChatPage::newConversation() {
    if (isBusy()) return;
    m_chat.reset();
    m_modeChosenByUser = false;
    m_systemPrompt->clear();
    m_chatList->setCurrentItem(nullptr);
    showMessages();
    modelChosen(0);  // re-applies the model's default mode once it reports back
}

bool ChatPage::openConversation(qint64 chatId) {
    if (!m_library || isBusy()) return false;
    const auto chat = m_library->db().findChat(chatId);
    if (!chat) return false;
    m_chat = chat;
    m_modeChosenByUser = true;  // the conversation's own mode wins over the model's default
    setMode(aqlm::parseChatMode(chat->mode));
    m_systemPrompt->setPlainText(QString::fromStdString(chat->systemPrompt));
    if (m_pickers[0]->currentModelId() != chat->modelId && !m_pickers[0]->selectModel(chat->modelId))
        Q_EMIT statusMessage(tr("The conversation's model is no longer in the library."));
    const bool sideBySide = chat->secondModelId && m_pickers[1]->selectModel(*chat->secondModelId);
    setSideBySide(sideBySide);  // shows the messages
    m_refreshingList = true;
    for (int i = 0; i < m_chatList->count(); ++i)
        if (m_chatList->item(i)->data(kChatIdRole).toLongLong() == chatId) m_chatList->setCurrentRow(i);
    m_refreshingList = false;
    return true;
}

void ChatPage::renameConversation() {
    if (!m_chat) return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title"), QLineEdit::Normal,
                                                QString::fromStdString(m_chat->title), &ok);
    if (ok) renameCurrentConversation(title);
}

bool ChatPage::renameCurrentConversation(const QString& title) {
    if (!m_chat || title.trimmed().isEmpty()) return false;
    m_library->db().renameChat(m_chat->id, title.trimmed().toStdString());
    m_chat = m_library->db().findChat(m_chat->id);
    refreshConversationList();
    return true;
}

void ChatPage::deleteConversation() {
    if (!m_chat || isBusy()) return;
    if (QMessageBox::question(this, tr("Delete conversation"),
                              tr("Delete \"%1\" and all its messages?").arg(QString::fromStdString(m_chat->title))) !=
        QMessageBox::Yes)
        return;
    deleteCurrentConversation();
}

bool ChatPage::deleteCurrentConversation() {
    if (!m_chat || isBusy()) return false;
    const bool deleted = m_library->db().deleteChat(m_chat->id);
    m_chat.reset();
    showMessages();
    refreshConversationList();
    return deleted;
}

void ChatPage::exportMarkdown() {
    if (!m_chat) return;
    const QString suggested = QString::fromStdString(m_chat->title).replace(QLatin1Char('/'), QLatin1Char('-')) +
                              QStringLiteral(".md");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export conversation"), suggested, tr("Markdown (*.md)"));
    if (path.isEmpty()) return;
    if (exportMarkdownTo(path)) Q_EMIT statusMessage(tr("Conversation saved to %1").arg(path));
}

bool ChatPage::exportMarkdownTo(const QString& path) {
    if (!m_chat) return false;
    const QString markdown = chatToMarkdown(*m_chat, m_library->db().listMessages(m_chat->id),
                                            [this](qint64 id) { return modelName(id); });
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit()) {
        Q_EMIT statusMessage(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

}  // namespace aqlm::ui
