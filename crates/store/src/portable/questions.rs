//! A campaign's own questions (`undersigned_core::question`): read in order, saved from the
//! editor in one transaction (those taken away retired once the campaign has signatures).

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::question::{Question, QuestionKind, QuestionsEdit, Texts, Wording};
use undersigned_core::store::{QuestionStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};

/// What the `texts` column holds: the prompts and the choices' labels, per language.
fn wording(prompts: &Texts, choices: &[Texts]) -> String {
    Wording { prompts: prompts.clone(), choices: choices.to_vec() }.to_json()
}

fn question_row(r: &dialect::Row) -> StoreResult<Question> {
    let kind: String = get(r, "kind")?;
    let texts: String = get(r, "texts")?;
    let wording =
        Wording::from_json(&texts).map_err(|e| StoreError::Corrupt(format!("a question's wording: {e}")))?;
    Ok(Question {
        id: get(r, "id")?,
        kind: QuestionKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("a question's kind {kind:?}")))?,
        required: get(r, "required")?,
        prompts: wording.prompts,
        choices: wording.choices,
        retired: dialect::opt_time_at(r, "retired_at")?.is_some(),
    })
}

#[async_trait]
impl QuestionStore for Backend {
    async fn questions(&self, campaign: CampaignId) -> StoreResult<Vec<Question>> {
        let rows = sqlx::query(
            "SELECT id, kind, required, texts, retired_at FROM campaign_questions WHERE campaign_id = $1
             ORDER BY retired_at IS NOT NULL, position, id",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(question_row).collect()
    }

    async fn save_questions(
        &self,
        campaign: CampaignId,
        edit: &QuestionsEdit,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // Someone may have answered a question of a campaign with signatures: it is retired, not
        // deleted (answers are sealed, so which were answered is not known here).
        let signed: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM signatures WHERE campaign_id = $1)")
                .bind(campaign)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
        for id in &edit.removed {
            let sql = if signed {
                "UPDATE campaign_questions SET retired_at = $3 WHERE id = $1 AND campaign_id = $2 AND retired_at IS NULL"
            } else {
                "DELETE FROM campaign_questions WHERE id = $1 AND campaign_id = $2 AND $3 = $3"
            };
            sqlx::query(sql)
                .bind(id)
                .bind(campaign)
                .bind(dialect::at(now))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        for (position, q) in edit.asked.iter().enumerate() {
            let texts = wording(&q.prompts, &q.choices);
            match q.id {
                // An existing question keeps its kind: its answers were given to that.
                Some(id) => sqlx::query(
                    "UPDATE campaign_questions SET position = $1, required = $2, texts = $3
                     WHERE id = $4 AND campaign_id = $5 AND retired_at IS NULL",
                )
                .bind(position as i64)
                .bind(q.required)
                .bind(texts)
                .bind(id)
                .bind(campaign)
                .execute(&mut *tx)
                .await
                .map_err(db)?,
                None => sqlx::query(
                    "INSERT INTO campaign_questions (campaign_id, position, kind, required, texts)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(campaign)
                .bind(position as i64)
                .bind(q.kind.as_str())
                .bind(q.required)
                .bind(texts)
                .execute(&mut *tx)
                .await
                .map_err(db)?,
            };
        }
        tx.commit().await.map_err(db)
    }
}
