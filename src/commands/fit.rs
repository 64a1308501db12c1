// TEMPORARY STUB; replaced by the real module.
#[derive(clap::Args, Debug)]
pub struct FitArgs {
    pub text: Option<String>,
}
pub fn run(
    _a: &FitArgs,
    _c: &crate::channel::Channels,
    _o: &mut dyn std::io::Write,
) -> anyhow::Result<crate::Outcome> {
    Ok(crate::Outcome::Success)
}
