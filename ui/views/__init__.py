"""The pages of the Streamlit app (run by ``st.navigation`` from ui/app.py). Not named
``pages/``: Streamlit would then serve each file as a page of its own, without app.py."""
