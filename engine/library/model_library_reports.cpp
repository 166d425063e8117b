// ModelLibrary: block fine-tuning losses and per-block results of compression runs.
#include "engine/library/model_library.h"
#include "engine/library/sqlite_db.h"

namespace aqlm {

void ModelLibrary::addFinetuneReport(const FinetuneReportRecord& r) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO finetune_reports (run_id, block, epoch, train_loss, validation_loss) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) "
                   "ON CONFLICT(run_id, block, epoch) DO UPDATE SET train_loss = excluded.train_loss, "
                   "validation_loss = excluded.validation_loss");
    q.bindInt(1, r.runId).bindInt(2, r.block).bindInt(3, r.epoch).bindDouble(4, r.trainLoss)
        .bindDouble(5, r.validationLoss);
    q.run();
    tx.commit();
}

std::vector<FinetuneReportRecord> ModelLibrary::listFinetuneReports(int64_t runId) const {
    SqlStatement q(m_db, m_dbPath,
                   "SELECT run_id, block, epoch, train_loss, validation_loss FROM finetune_reports "
                   "WHERE run_id = ?1 ORDER BY block, epoch");
    q.bindInt(1, runId);
    std::vector<FinetuneReportRecord> reports;
    while (q.step()) {
        FinetuneReportRecord r;
        r.runId = q.columnInt(0);
        r.block = q.columnInt(1);
        r.epoch = q.columnInt(2);
        r.trainLoss = q.columnDouble(3);
        r.validationLoss = q.columnDouble(4);
        reports.push_back(r);
    }
    return reports;
}

void ModelLibrary::addBlockReport(const BlockReportRecord& r) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO block_reports (run_id, block, seconds, perplexity) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT(run_id, block) DO UPDATE SET seconds = excluded.seconds, "
                   "perplexity = excluded.perplexity");
    // No perplexity (not measured for this block) is stored as NULL.
    q.bindInt(1, r.runId).bindInt(2, r.block).bindDouble(3, r.seconds).bindOptionalDouble(4, r.perplexity);
    q.run();
    tx.commit();
}

std::vector<BlockReportRecord> ModelLibrary::listBlockReports(int64_t runId) const {
    SqlStatement q(m_db, m_dbPath,
                   "SELECT run_id, block, seconds, perplexity FROM block_reports "
                   "WHERE run_id = ?1 ORDER BY block");
    q.bindInt(1, runId);
    std::vector<BlockReportRecord> reports;
    while (q.step()) {
        BlockReportRecord r;
        r.runId = q.columnInt(0);
        r.block = q.columnInt(1);
        r.seconds = q.columnDouble(2);
        r.perplexity = q.columnOptionalDouble(3);
        reports.push_back(r);
    }
    return reports;
}

}  // namespace aqlm
