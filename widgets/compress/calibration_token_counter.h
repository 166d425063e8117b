#pragma once
// The exact token count of the calibration texts with the chosen model's tokenizer, counted on a
// thread of its own (a few MB of text take about a second) and remembered for the same model and
// files (size and modification time included). The form asks for it only where the file sizes leave
// the answer open: texts surely long enough or surely too short are decided from their sizes.
#include "engine/api/cancel_token.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QThread;

namespace aqlm::ui {

class CalibrationTokenCounter : public QObject {
    Q_OBJECT
public:
    enum class State { None, Counting, Counted, Failed };

    explicit CalibrationTokenCounter(QObject* parent = nullptr);
    ~CalibrationTokenCounter() override;

    // Starts counting unless these files (as they are now) were counted for this model already.
    void request(const QString& modelPath, const QStringList& files);
    // The state for these files and model; tokens() and error() belong to it.
    State state(const QString& modelPath, const QStringList& files) const;
    qint64 tokens() const { return m_tokens; }
    QString error() const { return m_error; }

Q_SIGNALS:
    void counted();  // a count (or its failure) arrived

private:
    static QString keyOf(const QString& modelPath, const QStringList& files);
    void start();

    QString m_key;           // what the state describes
    State m_state = State::None;
    qint64 m_tokens = 0;
    QString m_error;
    QString m_modelPath;
    QStringList m_files;
    std::shared_ptr<aqlm::CancelToken> m_cancel;
    QThread* m_thread = nullptr;
    bool m_restart = false;  // a newer request waits for the running count to stop
};

}  // namespace aqlm::ui
