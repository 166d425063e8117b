#pragma once
// The Chat tab: talk to any library model (original or compressed) or let a completion model
// continue a story; optionally send the same prompt to a second model and watch both answers
// stream side by side with their speeds. Conversations live in the library (chats, messages) and
// can be reopened, renamed, deleted and exported to Markdown.
#include "widgets/chat/chat_conversation.h"
#include "widgets/chat/chat_types.h"

#include <QWidget>

#include <array>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QHBoxLayout;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QSplitter;
class QResizeEvent;

namespace aqlm::ui {

class ChatController;
class ChatTranscript;
class LibraryService;
class ModelPicker;
class SamplingPanel;

class ChatPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kColumns = ChatConversation::kColumns;
    // library may be null (it could not be opened): the page then says so and does nothing else.
    explicit ChatPage(LibraryService* library, QWidget* parent = nullptr);
    ~ChatPage() override;

    ChatController* controller() const { return m_controller; }
    ModelPicker* modelPicker(int column) const { return m_pickers[column]; }
    // Loading, template and empty-library notices above the transcript.
    QLabel* noticeLabel() const { return m_notice; }
    ChatTranscript* transcript(int column) const { return m_transcripts[column]; }
    SamplingPanel* samplingPanel() const { return m_sampling; }
    // Collapses the sampling column (small screens).
    QToolButton* samplingToggle() const { return m_samplingToggle; }
    QWidget* samplingColumn() const { return m_samplingColumn; }
    // Side by side: the two answers next to each other, or one above the other on narrow windows.
    Qt::Orientation paneOrientation() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

public:
    QListWidget* conversationList() const { return m_chatList; }
    QPlainTextEdit* input() const { return m_input; }
    QPlainTextEdit* systemPromptEdit() const { return m_systemPrompt; }
    QPushButton* sendButton() const { return m_send; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* regenerateButton() const { return m_regenerate; }

    qint64 currentChatId() const { return m_conversation.id(); }
    const ChatConversation& conversation() const { return m_conversation; }
    aqlm::ChatMode mode() const;
    void setMode(aqlm::ChatMode mode);
    bool isSideBySide() const;
    void setSideBySide(bool on);
    bool isBusy() const;

public Q_SLOTS:
    void send();
    void stop();
    void regenerate();
    void copyLastAnswer();
    void clearConversation();      // asks first
    void newConversation();
    bool openConversation(qint64 chatId);
    void renameConversation();     // asks for the title
    bool renameCurrentConversation(const QString& title);
    bool clearCurrentConversation();
    void deleteConversation();     // asks first
    bool deleteCurrentConversation();
    void exportMarkdown();         // asks for the file
    bool exportMarkdownTo(const QString& path);

Q_SIGNALS:
    void statusMessage(const QString& message);
    void modelReady(int column, const aqlm::ui::ChatModelSummary& summary);
    void answersFinished();        // every answer of one Send / Regenerate has ended

private:
    // buildUi's phases, left to right; connectUi wires the controls once they all exist.
    void buildUi();
    QWidget* buildConversationColumn();
    QWidget* buildChatColumn();
    QHBoxLayout* buildModelRow(QWidget* parent);
    QWidget* buildTranscripts(QWidget* parent);
    QHBoxLayout* buildActionRow(QWidget* parent);
    QWidget* buildSamplingColumn();
    void connectUi();
    void refreshFromLibrary();
    void refreshConversationList();
    void modelChosen(int column);
    void onModelLoaded(int slot, const ChatModelSummary& summary);
    void onAnswerFinished(int slot, const QString& text, const aqlm::ChatAnswerStats& stats);
    void onAnswerFailed(int slot, const QString& message);
    void onBusyChanged(bool busy);
    void updateControls();
    void updateModeTexts();
    void showMessages();
    bool ensureChat(const QString& firstText);
    void startAnswers(bool regenerate);
    std::optional<qint64> secondModelId() const;
    int activeColumns() const { return isSideBySide() ? 2 : 1; }

    LibraryService* m_library = nullptr;
    ChatController* m_controller = nullptr;
    ChatConversation m_conversation;
    std::array<ModelPicker*, kColumns> m_pickers{};
    std::array<ChatTranscript*, kColumns> m_transcripts{};
    std::array<qint64, kColumns> m_answerModel{};
    SamplingPanel* m_sampling = nullptr;
    QWidget* m_samplingColumn = nullptr;
    QSplitter* m_panes = nullptr;  // the transcripts, side by side  // a scroll area around the sampling panel
    QToolButton* m_samplingToggle = nullptr;
    QListWidget* m_chatList = nullptr;
    QPlainTextEdit* m_input = nullptr;
    QPlainTextEdit* m_systemPrompt = nullptr;
    QComboBox* m_mode = nullptr;
    QCheckBox* m_sideBySide = nullptr;
    QLabel* m_notice = nullptr;
    QPushButton *m_send = nullptr, *m_stop = nullptr, *m_regenerate = nullptr, *m_copy = nullptr, *m_clear = nullptr;
    QPushButton *m_newChat = nullptr, *m_renameChat = nullptr, *m_deleteChat = nullptr, *m_exportChat = nullptr;
    bool m_modeChosenByUser = false;
    bool m_refreshingList = false;
};

}  // namespace aqlm::ui
